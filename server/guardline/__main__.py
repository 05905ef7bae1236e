from guardline.cli import main

raise SystemExit(main())
