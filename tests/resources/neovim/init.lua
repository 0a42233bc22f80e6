-- Headless Neovim driving `dockside lsp` for tests/tests/neovim.rs.
-- Works on Neovim 0.7 (vim.lsp.start_client) to 0.11+ (vim.lsp.start).
-- Environment: DOCKSIDE_BIN (the binary), DOCKSIDE_OUT (JSON results),
-- DOCKSIDE_FIX=1 (apply the JSON-form quick fix and write the buffer).
local bin = os.getenv('DOCKSIDE_BIN')
local out = os.getenv('DOCKSIDE_OUT')
local fix = os.getenv('DOCKSIDE_FIX') == '1'
local result = { diagnostics = {}, actions = {}, errors = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qall!')
end

-- editors/neovim/lsp/dockside.lua, the configuration users install.
local config_file = os.getenv('DOCKSIDE_CONFIG')
local shipped = dofile(config_file)
result.config = { cmd = shipped.cmd, filetypes = shipped.filetypes, root_markers = shipped.root_markers }

local function clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.lsp.buf_get_clients(bufnr)
end

local function start_client(bufnr)
  local cmd = { bin, (table.unpack or unpack)(shipped.cmd, 2) }
  if vim.lsp.config and vim.lsp.enable then
    -- Neovim >= 0.11: the shipped file as it is meant to be used.
    result.mode = 'vim.lsp.enable'
    vim.opt.runtimepath:prepend(vim.fn.fnamemodify(config_file, ':h:h'))
    vim.lsp.config('dockside', { cmd = cmd })
    vim.lsp.enable('dockside')
    vim.bo[bufnr].filetype = 'dockerfile'
    vim.wait(5000, function() return next(clients(bufnr)) ~= nil end, 20)
    local c = next(clients(bufnr)) and clients(bufnr)[next(clients(bufnr))]
    return c and c.id
  end
  vim.bo[bufnr].filetype = 'dockerfile'
  local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
  local config = { name = 'dockside', cmd = cmd, root_dir = root }
  if vim.lsp.start then
    result.mode = 'vim.lsp.start'
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  result.mode = 'vim.lsp.start_client'
  local id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

local function main()
  local bufnr = vim.api.nvim_get_current_buf()
  result.version = vim.version and tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)
  local client_id = start_client(bufnr)
  if not client_id then
    error('the client did not start')
  end
  local ok = vim.wait(10000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  if not ok then
    error('no diagnostics within 10 s')
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      message = d.message, code = code, source = d.source, severity = d.severity,
    })
  end
  if not fix then
    return
  end
  -- The quick fix for the shell-form CMD.
  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code == 'shell-form-entrypoint' then
      target = d
    end
  end
  if not target then
    error('no shell-form-entrypoint diagnostic')
  end
  -- Neovim 0.7 keeps only code/codeDescription/data in user_data.lsp; rebuild the rest.
  local extra = (target.user_data and target.user_data.lsp) or {}
  local lsp_diag = {
    range = {
      start = { line = target.lnum, character = target.col },
      ['end'] = { line = target.end_lnum, character = target.end_col },
    },
    severity = target.severity, message = target.message, source = target.source,
    code = 'shell-form-entrypoint', codeDescription = extra.codeDescription, data = extra.data,
  }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 5000) or {}
  local client = vim.lsp.get_client_by_id(client_id)
  local applied = false
  for _, resp in pairs(responses) do
    if resp.err or resp.error then
      table.insert(result.errors, vim.inspect(resp.err or resp.error))
    end
    for _, action in ipairs(resp.result or {}) do
      table.insert(result.actions, { title = action.title, kind = action.kind })
      if not applied and action.kind == 'quickfix' and action.edit
        and (action.title or ''):lower():find('json') then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
        applied = true
      end
    end
  end
  result.applied = applied
  vim.cmd('write')
end

vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local ok, err = pcall(main)
    if not ok then
      table.insert(result.errors, tostring(err))
    end
    finish()
  end,
})
