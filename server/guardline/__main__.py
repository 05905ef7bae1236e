from guardline.safepath import safe_sys_path

safe_sys_path()   # `python -m guardline` put the current folder (maybe an untrusted workspace) on sys.path

from guardline.cli import main  # noqa: E402

if __name__ == "__main__":   # worker processes started with "spawn" re-import this module
    raise SystemExit(main())
