-- dockside language server for Neovim >= 0.11.
-- Put this file on your 'runtimepath' as lsp/dockside.lua (for example
-- ~/.config/nvim/lsp/dockside.lua) and enable it with:
--   vim.lsp.enable('dockside')
---@type vim.lsp.Config
return {
  cmd = { 'dockside', 'lsp' },
  filetypes = { 'dockerfile' },
  root_markers = { '.dockside.toml', '.git' },
}
