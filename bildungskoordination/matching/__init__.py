"""Course matching: which courses fit a person on a date, and why (pure Python, no database, no Qt)."""

from bildungskoordination.matching.engine import Matcher, evaluate, rank
from bildungskoordination.matching.facts import CourseFacts, Match, Reason
from bildungskoordination.matching.rules import CourseType, Rule, RulesError, RuleSet, default_rules, load_rules

__all__ = ["CourseFacts", "CourseType", "Match", "Matcher", "Reason", "Rule", "RuleSet", "RulesError",
           "default_rules", "evaluate", "load_rules", "rank"]
