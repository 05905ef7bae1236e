"""The guardline language server (``guardline serve``): pygls over the pure analysis core.

Entry point: ``guardline.lsp.server.main(argv) -> int``.
"""
