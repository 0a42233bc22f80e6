-- Filetypes for the files `dockside lsp` understands, by name:
--   Compose files -> yaml.docker-compose: compose.yaml, compose.yml, docker-compose.yaml,
--     docker-compose.yml and their variants (compose.override.yaml, docker-compose.prod.yml,
--     compose-dev.yaml); not composer.yaml.
--   Dockerfiles Neovim's own detection misses -> dockerfile: Dockerfile-prod, Dockerfile_ci,
--     app.Containerfile, app.dockerfile.
-- Put this file on your 'runtimepath' as ftdetect/dockside.lua (for example
-- ~/.config/nvim/ftdetect/dockside.lua); Neovim sources it when filetype detection starts.

local compose = 'yaml.docker-compose'
local rules = {
  filename = {
    ['compose.yaml'] = compose,
    ['compose.yml'] = compose,
    ['docker-compose.yaml'] = compose,
    ['docker-compose.yml'] = compose,
  },
  -- Lua patterns, anchored at both ends, matched against the file name.
  pattern = {
    ['compose[%._%-].+%.ya?ml'] = compose,
    ['docker%-compose[%._%-].+%.ya?ml'] = compose,
    ['[Dd]ockerfile[%-_].*'] = 'dockerfile',
    ['.+%.[Cc]ontainerfile'] = 'dockerfile',
    ['.+%.dockerfile'] = 'dockerfile',
  },
}

if vim.fn.has('nvim-0.8') == 1 then
  vim.filetype.add(rules)
  return
end

-- Neovim 0.7: vim.filetype.add() is only consulted with g:do_filetype_lua, so set the
-- filetype after filetype.vim's own autocommands have run.
local function detect(path)
  local name = vim.fn.fnamemodify(path, ':t')
  if rules.filename[name] then
    return rules.filename[name]
  end
  for pattern, filetype in pairs(rules.pattern) do
    if name:match('^' .. pattern .. '$') then
      return filetype
    end
  end
end

vim.api.nvim_create_autocmd({ 'BufNewFile', 'BufRead' }, {
  group = vim.api.nvim_create_augroup('dockside_filetype', { clear = true }),
  callback = function(args)
    local filetype = detect(args.file)
    if filetype and vim.bo[args.buf].filetype ~= filetype then
      vim.bo[args.buf].filetype = filetype
    end
  end,
})
