#include "registry/pdf.hpp"

#include <cstdlib>
#include <memory>

#include <hpdf.h>

#include "registry/text.hpp"

namespace welfare::registry {
namespace {

constexpr float kMargin = 56;
constexpr float kLineGap = 4;

void IgnoreErrors(HPDF_STATUS /*error*/, HPDF_STATUS /*detail*/, void* /*user*/) {}

/// Breaks text into lines no wider than `width` at the font size (by code point; spaces preferred).
std::vector<std::string> Wrap(HPDF_Page page, const std::string& text, float width) {
  std::vector<std::string> lines;
  std::string line;
  for (const auto& point : CodePoints(text)) {
    if (point == "\n") {
      lines.push_back(line);
      line.clear();
      continue;
    }
    const std::string candidate = line + point;
    if (!line.empty() && HPDF_Page_TextWidth(page, candidate.c_str()) > width) {
      const size_t space = line.rfind(' ');
      if (space != std::string::npos && space > line.size() / 2 && point != " ") {
        lines.push_back(line.substr(0, space));
        line = line.substr(space + 1) + point;
      } else {
        lines.push_back(line);
        line = point == " " ? std::string() : point;
      }
    } else {
      line = candidate;
    }
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

std::optional<std::filesystem::path> PdfFont() {
  if (const char* configured = std::getenv("WELFARE_PDF_FONT"); configured != nullptr && *configured != '\0') {
    return std::filesystem::path(configured);
  }
  for (const char* candidate :
       {"/usr/share/fonts/truetype/arphic/uming.ttc", "/usr/share/fonts/truetype/arphic/ukai.ttc"}) {
    if (std::filesystem::exists(candidate)) return std::filesystem::path(candidate);
  }
  return std::nullopt;
}

Result<std::string> RenderPdf(const std::vector<PdfLine>& lines, const std::string& footer) {
  const auto font_file = PdfFont();
  if (!font_file)
    return Fail(Error::Internal("no CJK TrueType font (install fonts-arphic-uming or set WELFARE_PDF_FONT)"));
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> doc(HPDF_New(IgnoreErrors, nullptr),
                                                                             HPDF_Free);
  if (!doc) return Fail(Error::Internal("libharu could not start a document"));
  HPDF_UseUTFEncodings(doc.get());
  HPDF_SetCurrentEncoder(doc.get(), "UTF-8");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  const char* font_name = HPDF_LoadTTFontFromFile2(doc.get(), font_file->c_str(), 0, HPDF_TRUE);
  if (font_name == nullptr) return Fail(Error::Internal("libharu could not load " + font_file->string()));
  HPDF_Font font = HPDF_GetFont(doc.get(), font_name, "UTF-8");
  if (font == nullptr) return Fail(Error::Internal("libharu could not use the font with UTF-8"));

  std::vector<HPDF_Page> pages;
  HPDF_Page page = nullptr;
  float y = 0;
  float width = 0;
  auto new_page = [&] {
    page = HPDF_AddPage(doc.get());
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    pages.push_back(page);
    y = HPDF_Page_GetHeight(page) - kMargin;
    width = HPDF_Page_GetWidth(page) - 2 * kMargin;
  };
  auto write = [&](const std::string& text, float size, float x, float available) {
    HPDF_Page_SetFontAndSize(page, font, size);
    for (const auto& line : Wrap(page, text, available)) {
      if (y - size < kMargin + 20) {
        new_page();
        HPDF_Page_SetFontAndSize(page, font, size);
      }
      y -= size;
      HPDF_Page_BeginText(page);
      HPDF_Page_TextOut(page, x, y, line.c_str());
      HPDF_Page_EndText(page);
      y -= kLineGap;
    }
  };
  new_page();
  for (const auto& line : lines) {
    switch (line.kind) {
    case PdfLine::Kind::kTitle:
      write(line.value, 18, kMargin, width);
      y -= 6;
      break;
    case PdfLine::Kind::kHeading:
      y -= 8;
      write(line.value, 13, kMargin, width);
      break;
    case PdfLine::Kind::kField: {
      const float label_width = width * 0.32F;
      const float top = y;
      write(line.label, 10, kMargin, label_width - 8);
      const float after_label = y;
      y = top;
      write(line.value.empty() ? "—" : line.value, 10, kMargin + label_width, width - label_width);
      y = std::min(y, after_label);
      break;
    }
    case PdfLine::Kind::kText:
      write(line.value, 10, kMargin, width);
      break;
    }
  }
  for (size_t page_idx = 0; page_idx < pages.size(); ++page_idx) {
    HPDF_Page_SetFontAndSize(pages[page_idx], font, 8);
    const std::string text = footer + "  ·  " + std::to_string(page_idx + 1) + " / " + std::to_string(pages.size());
    HPDF_Page_BeginText(pages[page_idx]);
    HPDF_Page_TextOut(pages[page_idx], kMargin, kMargin - 24, text.c_str());
    HPDF_Page_EndText(pages[page_idx]);
  }
  if (HPDF_SaveToStream(doc.get()) != HPDF_OK) return Fail(Error::Internal("libharu could not write the document"));
  HPDF_ResetStream(doc.get());
  std::string bytes;
  for (;;) {
    HPDF_BYTE buffer[8192];
    HPDF_UINT32 size = sizeof buffer;
    const HPDF_STATUS status = HPDF_ReadFromStream(doc.get(), buffer, &size);
    bytes.append(reinterpret_cast<const char*>(buffer), size);
    if (status == HPDF_STREAM_EOF || size == 0) break;
    if (status != HPDF_OK) return Fail(Error::Internal("libharu could not read the document back"));
  }
  return bytes;
}

}  // namespace welfare::registry
