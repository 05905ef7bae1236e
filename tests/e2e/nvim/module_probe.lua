-- Drives editors/neovim/lua/guardline (the shipped module) in a real headless Neovim, loaded from an
-- init.lua exactly as a user would (tests/test_nvim_e2e.py writes that init.lua). Env:
--   GL_CMD (JSON argv of the server), GL_AI_FILE (AI-attributed by the config), GL_CLONE_FILE (two copies
--   of one function), GL_TIMEOUT_MS, GL_OUT (JSON written there).
-- Records: errors during init (v:errmsg), shading signs right after the first open, their priority
-- against the diagnostic signs, code lenses before/after an edit made while in insert mode, and the
-- quickfix list "show all copies" fills.
local uv = vim.loop
local out = { errmsg_after_init = vim.v.errmsg, nvim = tostring(vim.version().major) .. '.' .. vim.version().minor }
local timeout = tonumber(os.getenv('GL_TIMEOUT_MS') or '20000')

local function write()
  local f = io.open(os.getenv('GL_OUT'), 'w'); f:write(vim.fn.json_encode(out)); f:close()
end

local function lens_titles(bufnr)
  local titles = {}
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    if lens.command then table.insert(titles, lens.command.title) end
  end
  return titles
end

local function our_signs(bufnr)
  local ns = vim.api.nvim_create_namespace('guardline_origins')
  local marks = vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })
  local signs = {}
  for _, m in ipairs(marks) do table.insert(signs, { line = m[2], priority = m[4].priority }) end
  return signs
end

local function diagnostic_sign_priorities(bufnr)
  local out_p = {}
  local placed = vim.fn.sign_getplaced(bufnr, { group = '*' })[1]
  for _, s in ipairs(placed and placed.signs or {}) do
    if s.group:match('diagnostic') or s.name:match('DiagnosticSign') then table.insert(out_p, s.priority) end
  end
  for name, id in pairs(vim.api.nvim_get_namespaces()) do   -- 0.10+: extmark signs
    if name:match('diagnostic') then
      for _, m in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, id, 0, -1, { details = true })) do
        if m[4].sign_text then table.insert(out_p, m[4].priority) end
      end
    end
  end
  return out_p
end

-- The probe runs as a coroutine resumed by timers: between steps Neovim's main loop runs and processes
-- typed keys, so `i` really enters insert mode (a blocking vim.wait would not read typeahead).
local co
local function sleep(ms) vim.defer_fn(function() assert(coroutine.resume(co)) end, ms); coroutine.yield() end
local function wait_for(ms, cond)
  local deadline = uv.hrtime() + ms * 1e6
  while not cond() and uv.hrtime() < deadline do sleep(20) end
  return cond()
end
local events = { InsertLeave = 0, BufWritePost = 0 }
vim.api.nvim_create_autocmd({ 'InsertLeave', 'BufWritePost' }, { callback = function(a) events[a.event] = events[a.event] + 1 end })

local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('GL_AI_FILE')))
  local ai = vim.api.nvim_get_current_buf()
  wait_for(timeout, function() return #vim.diagnostic.get(ai) > 0 end)
  out.ai_diagnostics = #vim.diagnostic.get(ai)
  wait_for(timeout, function() return #our_signs(ai) > 0 end)
  out.shading_signs_after_open = our_signs(ai)
  out.diagnostic_sign_priorities = diagnostic_sign_priorities(ai)
  wait_for(timeout, function() return #lens_titles(ai) > 0 end)
  out.lenses_before = lens_titles(ai)

  -- inlay hints (0.10+): the server's default mode shows `cog N` at functions over the limit
  if vim.lsp.inlay_hint and vim.lsp.inlay_hint.get then
    vim.lsp.inlay_hint.enable(true, { bufnr = ai })
    local function labels()
      local got = {}
      for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = ai })) do
        local label = h.inlay_hint.label
        table.insert(got, type(label) == 'string' and label or label[1].value)
      end
      return got
    end
    wait_for(timeout, function() return #labels() > 0 end)
    out.inlay_hints = labels()
  end

  -- insert mode, then an edit: a second, tangled function at the end; no InsertLeave, no :w
  vim.api.nvim_feedkeys('i', 'n', false)
  wait_for(2000, function() return vim.api.nvim_get_mode().mode == 'i' end)
  out.mode_during_edit = vim.api.nvim_get_mode().mode
  local extra = vim.split(os.getenv('GL_EDIT'), '\n')
  vim.api.nvim_buf_set_lines(ai, -1, -1, false, extra)
  local want = #out.lenses_before + 1
  wait_for(timeout, function() return #lens_titles(ai) >= want end)
  out.lenses_after_edit = lens_titles(ai)
  out.mode_after_edit = vim.api.nvim_get_mode().mode
  out.events_during_edit = vim.deepcopy(events)   -- no InsertLeave, no :w: the lenses refreshed on publish
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('<Esc>', true, false, true), 'n', false)
  wait_for(500, function() return vim.api.nvim_get_mode().mode == 'n' end)

  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('GL_CLONE_FILE')))
  local clone = vim.api.nvim_get_current_buf()
  local function clone_diags()
    return vim.tbl_filter(function(d) return d.code == 'duplicate-code' end, vim.diagnostic.get(clone))
  end
  wait_for(timeout, function() return #clone_diags() > 0 end)
  out.clone_diagnostics = {}
  for _, d in ipairs(clone_diags()) do table.insert(out.clone_diagnostics, { lnum = d.lnum, end_lnum = d.end_lnum }) end
  local first = clone_diags()[1]
  if first then
    require('guardline').show_copies({ command = 'guardline.showDuplicates',
      arguments = { vim.uri_from_bufnr(clone), first.lnum } }, { bufnr = clone })
    wait_for(timeout, function() return #vim.fn.getqflist() > 0 end)
  end
  out.quickfix = {}
  for _, item in ipairs(vim.fn.getqflist()) do table.insert(out.quickfix, { lnum = item.lnum, text = item.text }) end
  out.errmsg_at_end = vim.v.errmsg
end

local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
co = coroutine.create(function()
  local ok, err = pcall(main)
  if not ok then out.error = tostring(err) end
  write()
  vim.lsp.stop_client(get_clients(), false)
  wait_for(500, function() return #get_clients() == 0 end)
  vim.cmd('qall!')
end)
assert(coroutine.resume(co))
