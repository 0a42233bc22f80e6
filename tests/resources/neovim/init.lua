-- Headless Neovim driving `dockside lsp` for tests/tests/neovim.rs.
-- Works on Neovim 0.7 (vim.lsp.start_client) to 0.11+ (vim.lsp.config / vim.lsp.enable).
-- Environment:
--   DOCKSIDE_BIN      the dockside binary
--   DOCKSIDE_EDITOR   editors/neovim (put on 'runtimepath': ftdetect/ and lsp/)
--   DOCKSIDE_OUT      where to write the JSON results
--   DOCKSIDE_COMPOSE  a Compose file to open after the Dockerfile given as argument
--   DOCKSIDE_FT_NAMES file names (one per line) whose detected filetype to report
local bin = os.getenv('DOCKSIDE_BIN')
local editor_dir = os.getenv('DOCKSIDE_EDITOR')
local out = os.getenv('DOCKSIDE_OUT')
local compose_file = os.getenv('DOCKSIDE_COMPOSE')
local ft_names = vim.split(os.getenv('DOCKSIDE_FT_NAMES') or '', '\n', { trimempty = true })
local result = { errors = {}, files = {}, filetypes = {} }

-- Before filetype detection starts (after this file), so that ftdetect/dockside.lua runs.
vim.opt.runtimepath:prepend(editor_dir)

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qall!')
end

-- editors/neovim/lsp/dockside.lua, the configuration users install.
local shipped = dofile(editor_dir .. '/lsp/dockside.lua')
result.config = { cmd = shipped.cmd, filetypes = shipped.filetypes, root_markers = shipped.root_markers }
local cmd = { bin, (table.unpack or unpack)(shipped.cmd, 2) }

local function clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'dockside' })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

local function wait_for(what, ms, predicate)
  if not vim.wait(ms, predicate, 20) then
    error(what .. ' within ' .. ms / 1000 .. ' s')
  end
end

-- Attaches the dockside client to a buffer: on 0.11+ through the shipped configuration
-- and the buffer's filetype, before that by hand.
local client_id
local function attach(bufnr)
  if vim.lsp.config and vim.lsp.enable then
    result.mode = 'vim.lsp.enable'
    if not client_id then
      vim.lsp.config('dockside', { cmd = cmd })
      vim.lsp.enable('dockside')
    end
    wait_for('no dockside client attached to ' .. vim.api.nvim_buf_get_name(bufnr), 5000, function()
      return #clients(bufnr) > 0
    end)
    client_id = clients(bufnr)[1].id
    return
  end
  if not client_id then
    local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
    local config = { name = 'dockside', cmd = cmd, root_dir = root }
    if vim.lsp.start then
      result.mode = 'vim.lsp.start'
      client_id = vim.lsp.start(config, { bufnr = bufnr })
      return
    end
    result.mode = 'vim.lsp.start_client'
    client_id = vim.lsp.start_client(config)
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
end

local function diagnostic_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

-- Applies the first quick fix for the diagnostic with `code` whose title contains `title`.
local function apply_quick_fix(bufnr, code, title)
  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if diagnostic_code(d) == code then
      target = d
    end
  end
  if not target then
    error('no ' .. code .. ' diagnostic')
  end
  -- Neovim 0.7 keeps only code/codeDescription/data in user_data.lsp; rebuild the rest.
  local extra = (target.user_data and target.user_data.lsp) or {}
  local range = {
    start = { line = target.lnum, character = target.col },
    ['end'] = { line = target.end_lnum, character = target.end_col },
  }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = {
      diagnostics = {
        {
          range = range, severity = target.severity, message = target.message, source = target.source,
          code = code, codeDescription = extra.codeDescription, data = extra.data,
        },
      },
      only = { 'quickfix' },
    },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 5000) or {}
  local client = vim.lsp.get_client_by_id(client_id)
  local actions, applied = {}, false
  for _, resp in pairs(responses) do
    if resp.err or resp.error then
      table.insert(result.errors, vim.inspect(resp.err or resp.error))
    end
    for _, action in ipairs(resp.result or {}) do
      table.insert(actions, { title = action.title, kind = action.kind })
      if not applied and action.kind == 'quickfix' and action.edit
        and (action.title or ''):lower():find(title, 1, true) then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
        applied = true
      end
    end
  end
  return actions, applied
end

-- The diagnostics of a buffer; then applies one quick fix and writes the file.
local function check_buffer(bufnr, fix_code, fix_title)
  local file = { filetype = vim.bo[bufnr].filetype, diagnostics = {} }
  attach(bufnr)
  wait_for('no diagnostics for ' .. vim.api.nvim_buf_get_name(bufnr), 10000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(file.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      message = d.message, code = diagnostic_code(d), source = d.source, severity = d.severity,
      namespace = vim.diagnostic.get_namespace(d.namespace).name,
    })
  end
  file.actions, file.applied = apply_quick_fix(bufnr, fix_code, fix_title)
  file.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  vim.api.nvim_buf_call(bufnr, function()
    vim.cmd('write')
  end)
  return file
end

-- The filetype Neovim gives each name (the files need not exist).
local function detect_filetypes()
  local dir = vim.fn.tempname()
  for _, name in ipairs(ft_names) do
    vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/' .. name))
    result.filetypes[name] = vim.bo.filetype
    vim.cmd('bwipeout!')
  end
end

local function main()
  local v = vim.version()
  result.version = v.major .. '.' .. v.minor .. '.' .. v.patch
  local dockerfile = vim.api.nvim_get_current_buf()
  detect_filetypes()
  vim.cmd('buffer ' .. dockerfile)
  result.files.dockerfile = check_buffer(dockerfile, 'shell-form-entrypoint', 'json')
  if compose_file then
    vim.cmd('edit ' .. vim.fn.fnameescape(compose_file))
    result.files.compose = check_buffer(vim.api.nvim_get_current_buf(), 'obsolete-version', 'version')
  end
end

vim.api.nvim_create_autocmd('VimEnter', {
  -- Let `:edit` below fire BufNewFile and FileType (filetype detection, LSP attach).
  nested = true,
  callback = function()
    local ok, err = pcall(main)
    if not ok then
      table.insert(result.errors, tostring(err))
    end
    finish()
  end,
})
