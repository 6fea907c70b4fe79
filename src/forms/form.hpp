/// \file Forms as data: a definition (sections, typed fields, rules, computed values) read from JSON, and the
/// validation of answers against it. Case intake, assessments and later modules' forms all use it; the web console
/// renders the same definition with one component.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace welfare::forms {

/// A text shown to people, in both languages of the console.
struct Label {
  std::string zh;
  std::string en;
};

/// The kinds of answer a field takes.
enum class FieldType { kText, kTextarea, kInteger, kDecimal, kDate, kBoolean, kChoice, kMultiChoice };

/// A rule on answers (and computed values), used by `required_if` and `visible_if`. Either a test of one field
/// (`field` with one of the operators) or a combination (`all` / `any` of other conditions).
struct Condition {
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kAnswered, kAtLeast, kAll, kAny };
  Op op = Op::kEquals;
  std::string field;
  boost::json::value value;  ///< a value, or an array for kIn / kNotIn
  std::vector<Condition> parts;
};

/// One choice of a choice or multi-choice field; `score` counts in computed sums.
struct Option {
  std::string value;
  Label label;
  double score = 0;
};

/// One question.
struct Field {
  std::string id;
  FieldType type = FieldType::kText;
  Label label;
  std::optional<Label> help;
  bool required = false;
  std::optional<Condition> required_if;
  std::optional<Condition> visible_if;
  std::optional<double> min;    ///< numbers: smallest value; multi-choice: fewest choices
  std::optional<double> max;    ///< numbers: largest value; multi-choice: most choices
  size_t max_length = 2000;     ///< text: code points
  bool not_in_future = false;   ///< dates
  double score_if_true = 0;     ///< booleans: what a "yes" adds to computed sums
  std::vector<Option> options;  ///< choice and multi-choice
};

/// A group of questions shown together.
struct Section {
  std::string id;
  Label title;
  std::optional<Condition> visible_if;
  std::vector<Field> fields;
};

/// One band of a computed level: values from `from` upwards (to the next band) get `value`.
struct Band {
  double from = 0;
  std::string value;
  Label label;
};

/// A value the form computes from the answers: a sum of scores, or a level read from bands of a sum, raised by
/// overrides (for example "any immediate danger means high risk, whatever the score").
struct Computed {
  enum class Kind { kSum, kLevel };
  struct Override {
    Condition when;
    std::string value;
  };
  std::string id;
  Kind kind = Kind::kSum;
  Label label;
  std::vector<std::string> fields;  ///< kSum: the fields added up
  std::string source;               ///< kLevel: the sum it reads
  std::vector<Band> bands;          ///< kLevel: ascending `from`; later bands rank higher
  std::vector<Override> overrides;  ///< kLevel: raise to `value` when `when` holds (never lowers)
};

/// A whole form: a stable code and a version, so a record always shows the version it was filled in.
struct FormDefinition {
  std::string code;
  int version = 1;
  Label title;
  std::vector<Section> sections;
  std::vector<Computed> computed;

  /// The field with this id, or nullptr.
  [[nodiscard]] const Field* FindField(std::string_view id) const;
  /// The computed value with this id, or nullptr.
  [[nodiscard]] const Computed* FindComputed(std::string_view id) const;
};

/// Reads and checks a definition; the error lists every problem with its path (for example
/// `sections.1.fields.0.options`), so that whoever configures a form can fix them all at once.
[[nodiscard]] Result<FormDefinition> ParseDefinition(const boost::json::value& json);
/// The definition as JSON, in the shape ParseDefinition reads (what the web console renders).
[[nodiscard]] boost::json::object DefinitionJson(const FormDefinition& form);

/// Answers checked against a form: the answers as kept (numbers as numbers, dates as YYYY-MM-DD) and the
/// computed values.
struct FilledForm {
  boost::json::object answers;
  boost::json::object computed;
};

/// How strictly answers are checked: a draft may leave required questions unanswered; a submission may not.
enum class Completeness { kDraft, kComplete };

/// Checks `answers` against `form`. Field errors are under `prefix` + the field id (for example `data.injury`)
/// with stable codes: required, invalid_type, invalid_choice, out_of_range, too_long, in_future, invalid_date,
/// unknown_field, not_applicable (an answer to a question hidden by the other answers). `today` is YYYY-MM-DD.
[[nodiscard]] Result<FilledForm> Fill(const FormDefinition& form, const boost::json::object& answers,
                                      Completeness completeness, std::string_view today,
                                      std::string_view prefix = "data.");

/// Whether `condition` holds for these answers and computed values.
[[nodiscard]] bool Holds(const Condition& condition, const boost::json::object& answers,
                         const boost::json::object& computed);

/// An identifier of a form, field, option or computed value: lower-case ASCII letters, digits and underscores.
[[nodiscard]] bool IsIdentifier(std::string_view text);
/// Reads a label in both languages ({"zh": ..., "en": ...}) at `path`, recording problems in `errors`.
[[nodiscard]] Label ReadLabel(const boost::json::value* value, const std::string& path, FieldErrors& errors);
/// Reads a condition at `path`, recording problems in `errors` (field names are not checked against a form).
[[nodiscard]] Condition ReadCondition(const boost::json::value& value, const std::string& path, FieldErrors& errors);
/// A label as JSON.
[[nodiscard]] boost::json::object LabelJson(const Label& label);
/// A condition as JSON, in the shape ReadCondition reads.
[[nodiscard]] boost::json::object ConditionJson(const Condition& condition);

/// The stable name of a field type ("text", "choice", ...).
[[nodiscard]] std::string_view TypeName(FieldType type);

}  // namespace welfare::forms
