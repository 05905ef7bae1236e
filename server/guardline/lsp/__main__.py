import sys

from guardline.lsp.server import main

raise SystemExit(main(sys.argv[1:]))
