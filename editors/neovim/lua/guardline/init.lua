-- guardline for Neovim 0.7+: `require('guardline').setup{}` starts the language server for the
-- supported filetypes and wires what Neovim does not do by itself: code lenses refreshed on every
-- publish (also in insert mode), AI shading from the first open, "show all copies" into the quickfix
-- list, "open report", "explain" in a float, optional inlay hints (0.10+).
-- Works on 0.7: no LspAttach autocmd (0.8+), no vim.lsp.start (0.8+); everything hangs off on_attach.
local M = {}

M.filetypes = { 'python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go',
  'java', 'rust', 'c', 'cpp', 'cs', 'ruby', 'php' }

M.defaults = {
  cmd = { 'guardline', 'serve' },
  filetypes = M.filetypes,
  root_markers = { 'guardline.toml', '.guardline.toml', 'pyproject.toml', '.git' },
  init_options = {},            -- config keys, e.g. { debounce_ms = 200, editor = { inlay_hints = 'always' } }
  settings = {},                -- answered to workspace/configuration (section guardline), same shape
  shading = true,               -- sign column 'A' / 'A!' on AI-written lines (below diagnostics' signs)
  inlay_hints = false,          -- turn Neovim's inlay hints on in guardline buffers (0.10+)
  keymaps = true,               -- <leader>gl explain (code lens), <leader>gd show all copies, <leader>gr report
  on_attach = nil,              -- function(client, bufnr) called after guardline's own
}

local SIGN_PRIORITY = 5         -- vim.diagnostic's signs use 10: error/warning signs always win
local ns = vim.api.nvim_create_namespace('guardline_origins')
local state = { client_id = nil, opts = nil }

local function get_clients(bufnr)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = bufnr, name = 'guardline' }) end
  local out = {}
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'guardline' then table.insert(out, c) end
  end
  return out
end

local function notify(msg) vim.notify('guardline: ' .. msg, vim.log.levels.INFO) end

function M.refresh_lenses(bufnr)
  if #get_clients(bufnr) == 0 then return end
  if vim.fn.has('nvim-0.10') == 1 then vim.lsp.codelens.refresh({ bufnr = bufnr }) else vim.lsp.codelens.refresh() end
end

function M.shade(bufnr)
  if not (state.opts and state.opts.shading) or #get_clients(bufnr) == 0 then return end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  vim.lsp.buf_request(bufnr, 'guardline/origins', params, function(err, result)
    if err or not result or not vim.api.nvim_buf_is_valid(bufnr) then return end
    vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
    local last = vim.api.nvim_buf_line_count(bufnr) - 1
    for _, r in ipairs(result.ranges or {}) do
      for line = r.start_line, math.min(r.end_line, last) do
        vim.api.nvim_buf_set_extmark(bufnr, ns, line, 0, { sign_text = r.exceeds_limit and 'A!' or 'A',
          sign_hl_group = r.exceeds_limit and 'DiagnosticWarn' or 'Comment', priority = SIGN_PRIORITY })
      end
    end
  end)
end

-- the server's publish is the moment lenses and shading can change: refresh there, in any mode
local function on_publish(err, result, ctx, config)
  local handler = vim.lsp.handlers['textDocument/publishDiagnostics']
  handler(err, result, ctx, config)
  local bufnr = result and result.uri and vim.uri_to_bufnr(result.uri)
  if bufnr and vim.api.nvim_buf_is_loaded(bufnr) then
    M.refresh_lenses(bufnr)
    M.shade(bufnr)
  end
end

local function execute(bufnr, command, on_result)
  local client = get_clients(bufnr)[1]
  if not client then return notify('not attached to this buffer') end
  client.request('workspace/executeCommand', command, function(err, result)
    if err then return notify(err.message or tostring(err)) end
    on_result(result)
  end, bufnr)
end

-- the code lens / code action commands, run by Neovim's client
function M.explain(command, ctx)
  execute(ctx.bufnr, command, function(result)
    vim.lsp.util.open_floating_preview(vim.split(result.markdown, '\n'), 'markdown', { border = 'rounded' })
  end)
end

--- Fills the quickfix list with every copy of the clone at the command's line and opens it.
function M.show_copies(command, ctx)
  execute(ctx.bufnr, command, function(result)
    local items = {}
    local here = vim.api.nvim_buf_get_name(ctx.bufnr)
    local line = (command.arguments or {})[2] or 0
    table.insert(items, { filename = here, lnum = line + 1, col = 1, text = 'this copy' })
    for _, loc in ipairs(result.locations or {}) do
      table.insert(items, { filename = vim.uri_to_fname(loc.uri), lnum = loc.range.start.line + 1, col = 1,
        text = 'other copy' })
    end
    vim.fn.setqflist({}, ' ', { title = 'guardline: copies', items = items })
    if #items > 1 then vim.cmd('copen') else notify('no other copy here') end
  end)
end

function M.open_report(command, ctx)
  execute(ctx.bufnr, command, function(result)
    if vim.ui and vim.ui.open then
      vim.ui.open(result.path)                -- 0.10+
    else
      print('guardline report: ' .. result.path)
    end
  end)
end

local function current_line_command(name, bufnr)
  return { command = name, arguments = { vim.uri_from_bufnr(bufnr), vim.api.nvim_win_get_cursor(0)[1] - 1 } }
end

local function map_keys(bufnr)
  local function map(lhs, fn, desc) vim.keymap.set('n', lhs, fn, { buffer = bufnr, desc = desc }) end
  map('<leader>gl', function() M.explain(current_line_command('guardline.explain', bufnr), { bufnr = bufnr }) end,
    'guardline: explain this function')
  map('<leader>gd', function() M.show_copies(current_line_command('guardline.showDuplicates', bufnr), { bufnr = bufnr }) end,
    'guardline: show all copies (quickfix)')
  map('<leader>gr', function() M.open_report({ command = 'guardline.openReport', arguments = {} }, { bufnr = bufnr }) end,
    'guardline: open the quality report')
end

local function on_attach(client, bufnr)
  local opts = state.opts
  local group = vim.api.nvim_create_augroup('guardline_buf_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost' }, { group = group, buffer = bufnr,
    callback = function() M.refresh_lenses(bufnr) end })
  M.refresh_lenses(bufnr)
  M.shade(bufnr)                              -- shading from the first open, not after :w
  if opts.inlay_hints and vim.lsp.inlay_hint then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
  end
  if opts.keymaps and vim.keymap then map_keys(bufnr) end
  if opts.on_attach then opts.on_attach(client, bufnr) end
end

local function root_for(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.fs and vim.fs.find then
    local found = vim.fs.find(markers, { upward = true, path = vim.fs.dirname(name) })[1]
    if found then return vim.fs.dirname(found) end
  else                                        -- 0.7: no vim.fs
    for _, marker in ipairs(markers) do
      local found = vim.fn.findfile(marker, vim.fn.fnamemodify(name, ':p:h') .. ';')
      if found == '' then found = vim.fn.finddir(marker, vim.fn.fnamemodify(name, ':p:h') .. ';') end
      if found ~= '' then return vim.fn.fnamemodify(found, ':p:h'):gsub('/%.git$', '') end
    end
  end
  return vim.fn.getcwd()
end

local function client_config(bufnr)
  local opts = state.opts
  local root = root_for(bufnr, opts.root_markers)
  return {
    name = 'guardline', cmd = opts.cmd, root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    init_options = opts.init_options, settings = { guardline = opts.settings },
    handlers = { ['textDocument/publishDiagnostics'] = on_publish },
    on_attach = on_attach,
  }
end

local function start(bufnr)
  if vim.api.nvim_buf_get_option(bufnr, 'buftype') ~= '' then return end
  if vim.lsp.start then                       -- 0.8+: reuses the client of the same root
    vim.lsp.start(client_config(bufnr), { bufnr = bufnr })
    return
  end
  if not state.client_id or not vim.lsp.get_client_by_id(state.client_id) then
    state.client_id = vim.lsp.start_client(client_config(bufnr))
  end
  if state.client_id then vim.lsp.buf_attach_client(bufnr, state.client_id) end
end

function M.setup(user)
  state.opts = vim.tbl_deep_extend('force', {}, M.defaults, user or {})
  vim.lsp.commands['guardline.explain'] = M.explain
  vim.lsp.commands['guardline.showDuplicates'] = M.show_copies
  vim.lsp.commands['guardline.openReport'] = M.open_report
  local group = vim.api.nvim_create_augroup('guardline', { clear = true })
  vim.api.nvim_create_autocmd('FileType', { group = group, pattern = state.opts.filetypes,
    callback = function(args) start(args.buf) end })
  -- buffers already open when setup runs late (e.g. from a plugin manager)
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(state.opts.filetypes, vim.bo[bufnr].filetype) then
      start(bufnr)
    end
  end
end

return M
