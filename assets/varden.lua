-- The article's values as Quarto shortcodes (Quarto's side of src/servicenamnden/render/artikelvarden.py,
-- which computes them in the pre-render step and fills them in the same way for the harness and the preview).
--
--   {{< v resultat.resultat >}}          a value of the year, inline (also v ar, v kontroll.antal)
--   {{< notera resultat justering >}}    the notes on figures those groups lack, a block (may be nothing)
--   {{< lank tbl-x >}}                   the links under a table to its files (web page only), a block
--   {{< fil tabeller.xlsx "text" >}}     the text of a link to a file in downloads/, with format and size
--
-- Each value is Markdown, read by Quarto's own reader, as an inline `{python}` expression's Markdown was.
-- The file is read only when it was made from the data, code, article and year of this render: every
-- file's SHA-1 is compared with what the file lists; otherwise the render stops with one Swedish line.

local FILE = "_build/artikelvarden.json"
local stored = nil
local used = {}

local function stop(message)
  io.stderr:write("Fel i " .. FILE .. ": " .. message .. " Inget har renderats.\n")
  os.exit(1)
end

local function read_all(path)
  local handle = io.open(path, "rb")
  if handle == nil then return nil end
  local content = handle:read("a")
  handle:close()
  return content
end

local function sha1_of(path)
  local content = read_all(path)
  return content and pandoc.utils.sha1(content) or nil
end

local function is_folder(path)
  local ok = pcall(pandoc.system.list_directory, path)
  return ok
end

local function ends_with(name, suffix)
  return name:sub(-#suffix) == suffix
end

-- Every .py file below `folder` (the package's code), as in Python's rglob("*.py").
local function add_code(found, folder, prefix)
  for _, name in ipairs(pandoc.system.list_directory(folder)) do
    local path = pandoc.path.join({ folder, name })
    if is_folder(path) then
      add_code(found, path, prefix .. name .. "/")
    elseif ends_with(name, ".py") then
      found["kod/" .. prefix .. name] = sha1_of(path)
    end
  end
end

-- The data folder as src/servicenamnden/paths.py finds it: SN_DATA (relative to the project), else data/.
local function data_folder(root)
  local override = os.getenv("SN_DATA")
  if override == nil or override == "" then return pandoc.path.join({ root, "data" }) end
  if pandoc.path.is_absolute(override) then return override end
  return pandoc.path.join({ root, override })
end

local function digests(root, code_folder, article)
  local found = {}
  local folder = data_folder(root)
  local ok, names = pcall(pandoc.system.list_directory, folder)
  if not ok then stop("datamappen " .. folder .. " finns inte.") end
  for _, name in ipairs(names) do
    local path = pandoc.path.join({ folder, name })
    if (ends_with(name, ".csv") or ends_with(name, ".yml")) and not is_folder(path) then
      found["data/" .. name] = sha1_of(path)
    end
  end
  add_code(found, code_folder, "")
  found["artikel/" .. pandoc.path.filename(article)] = sha1_of(article)
  return found
end

local function sorted_keys(...)
  local seen, keys = {}, {}
  for _, map in ipairs({ ... }) do
    for key, _ in pairs(map) do
      if not seen[key] then
        seen[key] = true
        table.insert(keys, key)
      end
    end
  end
  table.sort(keys)
  return keys
end

local function stale_reason(values, root, article, year)
  local computed = tostring(math.tointeger(values.ar) or values.ar)  -- JSON numbers decode as floats
  if computed ~= year then
    return "de är räknade för " .. computed .. ", inte för " .. year
  end
  local now, before = digests(root, values.kod, article), values.filer or {}
  for _, name in ipairs(sorted_keys(now, before)) do
    if now[name] ~= before[name] then
      local change = "har ändrats"
      if before[name] == nil then change = "har tillkommit" elseif now[name] == nil then change = "har tagits bort" end
      return name .. " " .. change .. " sedan de räknades"
    end
  end
  return nil
end

local function decode(text)
  if pandoc.json ~= nil then return pandoc.json.decode(text, false) end
  return quarto.json.decode(text)
end

local function load(meta)
  if stored ~= nil then return stored end
  local root = quarto.project.directory or pandoc.system.get_working_directory()
  local text = read_all(pandoc.path.join({ root, FILE }))
  if text == nil then
    stop("artikelns värden saknas; pre-render-steget skriver dem (kör make report eller quarto render).")
  end
  local ok, values = pcall(decode, text)
  if not ok or type(values) ~= "table" or values.varden == nil then
    stop("artikelns värden går inte att läsa; kör make report eller quarto render igen.")
  end
  local rapport = meta["rapport"]
  local year = rapport and rapport["ar"] and pandoc.utils.stringify(rapport["ar"]) or nil
  if year == nil then stop("rapportåret (rapport.ar i _rapport.yml) saknas.") end
  local reason = stale_reason(values, root, quarto.doc.input_file, year)
  if reason ~= nil then
    stop("artikelns värden är inaktuella (" .. reason .. "); kör make report eller quarto render igen.")
  end
  stored = values.varden
  return stored
end

-- The n-th use of a key gets its n-th value (a note stands once: a second `notera` may give nothing).
local function value_of(name, args, meta)
  local parts = { name }
  for _, arg in ipairs(args) do table.insert(parts, pandoc.utils.stringify(arg)) end
  local key = table.concat(parts, " ")
  local values = load(meta)[key]
  used[key] = (used[key] or 0) + 1
  if values == nil or values[used[key]] == nil then
    stop("{{< " .. key .. " >}} i artikeln saknas bland artikelns värden; kör make report eller quarto render igen.")
  end
  return values[used[key]]
end

-- Every distinct value read by Quarto's own reader in one go (a call per value ran Quarto's reader and
-- normalisation some 800 times a render): as a paragraph of its own, `[value]{#…}`, for a value in a
-- sentence (read inline, as when it stood in the sentence), and as a div, for a value that is a block.
local parsed = nil

local function parse_all(values)
  local ids, parts, count = {}, {}, 0
  for _, list in pairs(values) do
    for _, markdown in ipairs(list) do
      if markdown ~= "" and ids[markdown] == nil then
        count = count + 1
        ids[markdown] = count
        if not markdown:find("\n") then  -- a value of several lines (a div of links) is only a block
          table.insert(parts, "[" .. markdown .. "]{#sn-varde-i" .. count .. "}")
        end
        table.insert(parts, ":::::: {#sn-varde-b" .. count .. "}\n" .. markdown .. "\n::::::")
      end
    end
  end
  local found = {}
  local blocks = quarto.utils.string_to_blocks(table.concat(parts, "\n\n"))
  for _, block in ipairs(blocks) do
    if block.t == "Div" and block.identifier ~= "" then
      found[block.identifier] = block.content
    elseif block.t == "Para" and #block.content == 1 and block.content[1].t == "Span" then
      found[block.content[1].identifier] = block.content[1].content
    end
  end
  for markdown, id in pairs(ids) do
    if (found["sn-varde-i" .. id] == nil and not markdown:find("\n")) or found["sn-varde-b" .. id] == nil then
      stop("värdet " .. markdown .. " gick inte att läsa som Markdown.")
    end
  end
  return { ids = ids, found = found }
end

local function parsed_value(markdown, context)
  if markdown == "" then
    if context == "block" then return pandoc.Blocks({}) end
    return pandoc.Inlines({})
  end
  local id = parsed.ids[markdown]
  if context == "block" then
    return pandoc.Blocks(parsed.found["sn-varde-b" .. id]):clone()
  end
  local inlines = parsed.found["sn-varde-i" .. id]
  if inlines == nil then return pandoc.utils.blocks_to_inlines(pandoc.Blocks(parsed.found["sn-varde-b" .. id]):clone()) end
  return pandoc.Inlines(inlines):clone()
end

local function shortcode(name)
  return function(args, kwargs, meta, raw_args, context)
    local markdown = value_of(name, args, meta)
    if context == "text" then return markdown end
    if parsed == nil then parsed = parse_all(stored) end
    return parsed_value(markdown, context)
  end
end

return {
  ["v"] = shortcode("v"),
  ["notera"] = shortcode("notera"),
  ["lank"] = shortcode("lank"),
  ["fil"] = shortcode("fil"),
}
