from bildungskoordination.cli import main

raise SystemExit(main())
