"""Referral letters in the GUI: the "Brief erstellen" dialog (preview, print, save) and the letter settings."""
