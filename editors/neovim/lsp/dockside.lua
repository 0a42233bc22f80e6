-- dockside language server for Neovim >= 0.11.
-- Put this file on your 'runtimepath' as lsp/dockside.lua (for example
-- ~/.config/nvim/lsp/dockside.lua) and enable it with:
--   vim.lsp.enable('dockside')
---@type vim.lsp.Config
return {
  cmd = { 'dockside', 'lsp' },
  -- Compose files: `yaml.docker-compose` comes from ftdetect/dockside.lua (Neovim itself
  -- calls them `yaml`); the server answers only for Compose file names and ignores other YAML.
  filetypes = { 'dockerfile', 'yaml.docker-compose', 'yaml' },
  root_markers = { '.dockside.toml', '.git' },
}
