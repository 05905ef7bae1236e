-- guardline's headless Neovim (>=0.7.2) LSP probe, used by tests/test_nvim_e2e.py.
-- Adapted from the team's shared editor probes; it has no defaults outside this repository.
-- Usage: LSP_CMD='["python3","server.py"]' LSP_FILES='/abs/a.py /abs/b.py' [LSP_ROOT=dir] [LSP_TIMEOUT_MS=10000] \
--        [LSP_OUT=out.json] [LSP_EDIT='text appended as new last line(s)'] [LSP_DEBOUNCE_MS=150]
--        nvim --headless -u NONE -i NONE -n -c 'luafile lsp_probe.lua'
-- With LSP_EDIT, after the first diagnostics the text is appended to each buffer (-> didChange, sent after
-- nvim's debounce, 150 ms by default in 0.7) and the time to the next publishDiagnostics is recorded.
-- Prints one JSON object on stdout (and to LSP_OUT if set). Exit code 0 = every file got >=1 diagnostic
-- and >=1 code lens; 1 = something missing; 2 = server did not initialize; 3 = script error.
local uv = vim.loop
local t0 = uv.hrtime()
local function ms(t) return (t - t0) / 1e6 end
local function env(k, d) local v = os.getenv(k); if v == nil or v == '' then return d end; return v end

local result = { client = 'neovim', nvim_version = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch,
                 files = {}, log = {} }
local exit_code = 3

local function finish()
  local json = vim.fn.json_encode(result)
  io.stdout:write(json .. '\n'); io.stdout:flush()
  local out = env('LSP_OUT', nil)
  if out then local f = io.open(out, 'w'); f:write(json .. '\n'); f:close() end
  -- stop clients politely (shutdown/exit), give them a moment, then quit
  vim.lsp.stop_client(vim.lsp.get_active_clients(), false)
  vim.wait(500, function() return #vim.lsp.get_active_clients() == 0 end, 20)
  vim.cmd((exit_code == 0) and 'qall!' or ('cquit ' .. exit_code))
end

local ok, err = pcall(function()
  local cmd = vim.fn.json_decode(env('LSP_CMD', '["guardline","serve"]'))
  local files = vim.split(env('LSP_FILES', ''), '%s+', { trimempty = true })
  if #files == 0 then error('LSP_FILES is empty') end
  -- filetype detection is off under -u NONE; LSP_FILETYPES maps extensions to languageId
  local filetypes = vim.fn.json_decode(env('LSP_FILETYPES', '{"py":"python","ts":"typescript","go":"go"}'))
  local timeout = tonumber(env('LSP_TIMEOUT_MS', '10000'))
  local root = env('LSP_ROOT', vim.fn.fnamemodify(files[1], ':p:h'))

  -- record arrival time of the first publishDiagnostics per URI (wrap default handler)
  local first_diag_t, n_publish, last_publish_t = {}, {}, {}
  local orig = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(e, res, ctx, cfg)
    if res and res.uri then
      local now = uv.hrtime()
      if first_diag_t[res.uri] == nil and res.diagnostics and #res.diagnostics > 0 then first_diag_t[res.uri] = now end
      n_publish[res.uri] = (n_publish[res.uri] or 0) + 1; last_publish_t[res.uri] = now
    end
    return orig(e, res, ctx, cfg)
  end
  local function collect(bufnr)
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(out, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
        severity = d.severity, message = d.message, source = d.source, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
    end
    return out
  end

  local initialized = false
  local t_init
  local client_id = vim.lsp.start_client({
    name = 'guardline', cmd = cmd, root_dir = root,
    init_options = vim.fn.json_decode(env('LSP_INIT_OPTIONS', '{}')),
    flags = { debounce_text_changes = tonumber(env('LSP_DEBOUNCE_MS', '150')) },
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'root' } },
    on_init = function() initialized = true; t_init = uv.hrtime() end,
    on_exit = function(code, signal) table.insert(result.log, 'server exited code=' .. tostring(code) .. ' signal=' .. tostring(signal)) end,
  })
  result.cmd = cmd
  if not client_id then exit_code = 2; result.error = 'start_client failed'; return end
  if not vim.wait(timeout, function() return initialized end, 5) then exit_code = 2; result.error = 'initialize timeout'; return end
  result.t_spawn_to_initialized_ms = ms(t_init)
  local client = vim.lsp.get_client_by_id(client_id)
  result.server_capabilities = client.server_capabilities or client.resolved_capabilities

  local all_ok = true
  for _, path in ipairs(files) do
    path = vim.fn.fnamemodify(path, ':p')
    local rec = { file = path }
    local t_open = uv.hrtime()
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local bufnr = vim.api.nvim_get_current_buf()
    local ext = vim.fn.fnamemodify(path, ':e')
    if filetypes[ext] then vim.bo[bufnr].filetype = filetypes[ext] end
    vim.lsp.buf_attach_client(bufnr, client_id)   -- sends textDocument/didOpen
    local uri = vim.uri_from_bufnr(bufnr)
    local got = vim.wait(timeout, function() return first_diag_t[uri] ~= nil end, 2)
    rec.t_open_to_first_diag_ms = got and (first_diag_t[uri] - t_open) / 1e6 or vim.NIL
    rec.diagnostics = collect(bufnr)
    -- code lenses, way 1: the built-in codelens machinery (what a user sees as virtual text)
    local t_cl = uv.hrtime()
    vim.lsp.codelens.refresh()
    vim.wait(timeout, function() return #(vim.lsp.codelens.get(bufnr) or {}) > 0 end, 2)
    rec.t_codelens_refresh_ms = (uv.hrtime() - t_cl) / 1e6
    rec.codelens = {}
    for _, l in ipairs(vim.lsp.codelens.get(bufnr) or {}) do
      table.insert(rec.codelens, { line = l.range.start.line, title = l.command and l.command.title or vim.NIL,
                                   command = l.command and l.command.command or vim.NIL })
    end
    -- way 2: direct request (raw server answer)
    local resp = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeLens',
      { textDocument = { uri = uri } }, timeout)
    rec.codelens_direct = {}
    for _, r in pairs(resp or {}) do
      for _, l in ipairs(r.result or {}) do
        table.insert(rec.codelens_direct, { line = l.range.start.line, title = l.command and l.command.title or vim.NIL })
      end
    end
    -- rendered virtual text of the codelens namespace(s), as the user would see it
    rec.virtual_text = {}
    for ns_name, ns in pairs(vim.api.nvim_get_namespaces()) do
      for _, m in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })) do
        local vt = m[4] and m[4].virt_text
        if vt then
          local s = {}; for _, chunk in ipairs(vt) do table.insert(s, chunk[1]) end
          table.insert(rec.virtual_text, { ns = ns_name, line = m[2], text = table.concat(s) })
        end
      end
    end
    local edit = env('LSP_EDIT', nil)
    if edit then   -- didChange round trip
      local n0 = n_publish[uri] or 0
      local t_e = uv.hrtime()
      local last = vim.api.nvim_buf_line_count(bufnr)
      vim.api.nvim_buf_set_lines(bufnr, last, last, false, vim.split(edit, '\n'))
      local got = vim.wait(timeout, function() return (n_publish[uri] or 0) > n0 end, 2)
      rec.t_edit_to_publish_ms = got and (last_publish_t[uri] - t_e) / 1e6 or vim.NIL
      rec.diagnostics_after_edit = collect(bufnr)
    end
    if #rec.diagnostics == 0 or #rec.codelens == 0 then all_ok = false end
    table.insert(result.files, rec)
  end
  result.total_ms = ms(uv.hrtime())
  exit_code = all_ok and 0 or 1
end)
if not ok then result.error = tostring(err); exit_code = 3 end
finish()
