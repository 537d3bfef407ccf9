-- Text written for one year, and sentences whose figure the year's data lack (Quarto's side of
-- src/servicenamnden/render/yeartext.py, which does the same for the preview).
--
-- ::: {.arstext ar="2023"} … ::: gets a visible mark at its top when the report is rendered for
-- another year. A sentence holding a missing value ([–]{.saknas}) is left out as a whole; the note
-- that follows the paragraph says once what is missing. The words come from the metadata that the
-- pre-render step writes (rapport.ar, rapport.inaktuell-etikett, rapport.inaktuell-text).

local report_year = nil
local label = "Ej uppdaterad."
local template = "Texten är skriven för {skriven} och inte uppdaterad för {ar}."

local function read_meta(meta)
  local rapport = meta.rapport
  if rapport then
    if rapport.ar then report_year = pandoc.utils.stringify(rapport.ar) end
    if rapport["inaktuell-etikett"] then label = pandoc.utils.stringify(rapport["inaktuell-etikett"]) end
    if rapport["inaktuell-text"] then template = pandoc.utils.stringify(rapport["inaktuell-text"]) end
  end
end

local function mark_stale(div)
  if not div.classes:includes("arstext") then return nil end
  local written = div.attributes["ar"]
  if report_year == nil or written == nil or written == report_year then return nil end
  local text = template:gsub("{skriven}", written):gsub("{ar}", report_year)
  local mark = pandoc.Para({ pandoc.Strong({ pandoc.Str(label) }), pandoc.Space(), pandoc.Str(text) })
  local wrapped = pandoc.Div({ mark }, pandoc.Attr("", { "inaktuell-markering" }))
  div.content:insert(1, wrapped)
  div.classes:insert("inaktuell")
  return div
end

local function holds_missing(inlines)
  local found = false
  pandoc.walk_inline(pandoc.Span(inlines), {
    Span = function(span)
      if span.classes:includes("saknas") then found = true end
    end,
  })
  return found
end

local function ends_sentence(inline)
  return inline.t == "Str" and inline.text:match("[.!?]$") ~= nil
end

local function starts_sentence(inline)
  if inline == nil then return false end
  if inline.t == "Str" then
    local first = pandoc.text.sub(inline.text, 1, 1)
    return first:match("[%u%d]") ~= nil or first == "Å" or first == "Ä" or first == "Ö"
      or first == "–" or first == "−"
  end
  return inline.t == "Span" or inline.t == "Strong" or inline.t == "Emph"
end

local function is_space(inline)
  return inline.t == "Space" or inline.t == "SoftBreak" or inline.t == "LineBreak"
end

-- The inlines split into sentences (each a list), the spaces between them dropped.
local function sentences(inlines)
  local out, current = {}, pandoc.List()
  local i = 1
  while i <= #inlines do
    local inline = inlines[i]
    current:insert(inline)
    if ends_sentence(inline) and inlines[i + 1] and is_space(inlines[i + 1]) and starts_sentence(inlines[i + 2]) then
      table.insert(out, current)
      current = pandoc.List()
      i = i + 1 -- skip the space
    end
    i = i + 1
  end
  if #current > 0 then table.insert(out, current) end
  return out
end

local function only_bold_label(inlines)
  return #inlines == 1 and inlines[1].t == "Strong"
end

local function drop_missing(block)
  if not holds_missing(block.content) then return nil end
  local kept = pandoc.List()
  for _, sentence in ipairs(sentences(block.content)) do
    if not holds_missing(sentence) then
      if #kept > 0 then kept:insert(pandoc.Space()) end
      kept:extend(sentence)
    end
  end
  if #kept == 0 or only_bold_label(kept) then return {} end
  block.content = kept
  return block
end

local function drop_empty_items(list)
  local items = pandoc.List()
  for _, item in ipairs(list.content) do
    if #item > 0 then items:insert(item) end
  end
  if #items == 0 then return {} end
  list.content = items
  return list
end

return {
  { Meta = read_meta },
  { Div = mark_stale, Para = drop_missing, Plain = drop_missing },
  { BulletList = drop_empty_items, OrderedList = drop_empty_items },
}
