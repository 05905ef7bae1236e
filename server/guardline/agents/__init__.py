"""Agent gate and provenance recorder: `guardline hook <host>`, `guardline mcp`,
`guardline agents install|uninstall <host>`.

Layout: ``hosts/`` one module per host (payload parser, feedback renderer, limits); ``edits`` and
``patches`` work out what an edit wrote; ``netnew`` the findings it introduced (analysis core, AI
limits); ``feedback`` the text for the agent; ``trace`` the Agent Trace records; ``state`` what is
kept in `.guardline/agents/`; ``gate`` the turn-end gate; ``hook`` ties them together; ``install``
writes host configuration; ``mcp_server`` the MCP tools. No network, git only through the hardened
runner, nothing written outside `.guardline/` and `.agent-trace/` (install writes the host's own
configuration files, on request).
"""
