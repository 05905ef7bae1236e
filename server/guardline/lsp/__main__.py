import sys

from guardline.safepath import safe_sys_path

safe_sys_path()   # `python -m guardline.lsp` put the current folder (maybe the workspace) on sys.path

from guardline.lsp.server import main  # noqa: E402

raise SystemExit(main(sys.argv[1:]))
