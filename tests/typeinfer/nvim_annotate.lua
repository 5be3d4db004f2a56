-- Headless neovim as the LSP client: open a file, collect the inlay hints (with the text just
-- before each, found through the client's negotiated offset encoding), apply "Annotate all",
-- write the result. Usage: nvim --headless --clean -l nvim_annotate.lua PYTHON FILE OUT.json OUT_FILE
local python, file, out_json, out_file = arg[1], arg[2], arg[3], arg[4]
vim.cmd.edit(file)
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start({ name = "workbench-types", cmd = { python, "-m", "typeinfer.lsp" },
                           root_dir = vim.fs.dirname(file) }, { bufnr = buf })
assert(vim.wait(30000, function() return #vim.lsp.get_clients({ bufnr = buf }) > 0 end), "no client")
local client = vim.lsp.get_client_by_id(id)
local whole = { start = { line = 0, character = 0 }, ["end"] = { line = 1000, character = 0 } }
local td = vim.lsp.util.make_text_document_params(buf)
local res = client:request_sync("textDocument/inlayHint", { textDocument = td, range = whole }, 120000, buf)
assert(res and not res.err, vim.inspect(res))
local hints = {}
for _, h in ipairs(res.result or {}) do
  local line = vim.api.nvim_buf_get_lines(buf, h.position.line, h.position.line + 1, false)[1]
  local byte = vim.str_byteindex(line, client.offset_encoding, h.position.character, false)
  table.insert(hints, { line = h.position.line, before = line:sub(1, byte), label = h.label })
end
local acts = client:request_sync("textDocument/codeAction", { textDocument = td, range = whole,
                                  context = { diagnostics = {} } }, 120000, buf)
assert(acts and not acts.err, vim.inspect(acts))
local applied = false
for _, a in ipairs(acts.result or {}) do
  if a.title:match("^Annotate all") then
    vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding)
    applied = true
  end
end
vim.cmd("silent write! " .. vim.fn.fnameescape(out_file))
local fh = io.open(out_json, "w")
fh:write(vim.json.encode({ encoding = client.offset_encoding, hints = hints, applied = applied }))
fh:close()
client:stop()
vim.cmd("qall!")
