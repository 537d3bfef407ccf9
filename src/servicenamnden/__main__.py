from servicenamnden.cli import main

raise SystemExit(main())
