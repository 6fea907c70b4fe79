/// \file A readable PDF of structured text (headings and label–value lines) with Chinese characters,
/// rendered with libharu and an embedded TrueType CJK font.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace welfare::registry {

/// One line of a document: a heading, a label with its value, or a paragraph.
struct PdfLine {
  enum class Kind { kTitle, kHeading, kField, kText };
  Kind kind = Kind::kText;
  std::string label;
  std::string value;
};

/// The TrueType CJK font to embed: WELFARE_PDF_FONT, else AR PL UMing from fonts-arphic-uming.
[[nodiscard]] std::optional<std::filesystem::path> PdfFont();

/// Renders the lines on A4 pages with page numbers; `footer` is printed on every page.
[[nodiscard]] Result<std::string> RenderPdf(const std::vector<PdfLine>& lines, const std::string& footer);

}  // namespace welfare::registry
