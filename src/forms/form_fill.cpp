// Checking answers against a form definition and computing its values.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json.hpp"
#include "forms/form.hpp"

namespace welfare::forms {
namespace json = boost::json;

namespace {

bool IsAnswered(const json::value* value) {
  if (value == nullptr || value->is_null()) return false;
  if (value->is_string()) return !value->get_string().empty();
  if (value->is_array()) return !value->get_array().empty();
  return true;
}

bool SameValue(const json::value& left, const json::value& right) {
  if (left.is_number() && right.is_number()) return left.to_number<double>() == right.to_number<double>();
  return left == right;
}

/// True when `answer` (one value, or the choices of a multi-choice) meets any of `candidates`.
bool Meets(const json::value& answer, const json::array& candidates) {
  auto matches = [&](const json::value& one) {
    return std::ranges::any_of(candidates, [&](const json::value& candidate) { return SameValue(one, candidate); });
  };
  if (answer.is_array()) return std::ranges::any_of(answer.get_array(), matches);
  return matches(answer);
}

std::optional<double> NumberOf(const json::value& value) {
  if (value.is_number()) return value.to_number<double>();
  if (value.is_array()) return static_cast<double>(value.get_array().size());
  return std::nullopt;
}

/// A real calendar date written YYYY-MM-DD.
bool IsDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year = 0;
  unsigned month = 0, day = 0;
  for (size_t index : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[index] < '0' || text[index] > '9') return false;
  }
  year = std::stoi(std::string(text.substr(0, 4)));
  month = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
  day = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
  return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}.ok();
}

std::string Number(double value) {
  if (std::floor(value) == value && std::abs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  return fmt::format("{}", value);
}

std::string Choices(const Field& field) {
  std::string choices;
  for (const auto& option : field.options) choices += (choices.empty() ? "" : ", ") + option.value;
  return choices;
}

/// Checks one answered field and returns it as kept, or nullopt after recording why not.
std::optional<json::value> Normalise(const Field& field, const json::value& value, std::string_view today,
                                     const std::string& path, FieldErrors& errors) {
  auto wrong_type = [&](std::string_view expected) -> std::optional<json::value> {
    errors.Add(path, "invalid_type", {{"expected", std::string(expected)}});
    return std::nullopt;
  };
  auto in_range = [&](double number) {
    if ((field.min && number < *field.min) || (field.max && number > *field.max)) {
      errors.Add(path, "out_of_range",
                 {{"min", field.min ? Number(*field.min) : "-∞"}, {"max", field.max ? Number(*field.max) : "∞"}});
      return false;
    }
    return true;
  };
  switch (field.type) {
  case FieldType::kText:
  case FieldType::kTextarea: {
    if (!value.is_string()) return wrong_type("text");
    const std::string text = Trim(value.get_string());
    if (Utf8Length(text) > field.max_length) {
      errors.Add(path, "too_long", {{"max", std::to_string(field.max_length)}});
      return std::nullopt;
    }
    return json::value(text);
  }
  case FieldType::kInteger: {
    if (!value.is_number()) return wrong_type("integer");
    const double number = value.to_number<double>();
    if (std::floor(number) != number || std::abs(number) > 1e15) return wrong_type("integer");
    if (!in_range(number)) return std::nullopt;
    return json::value(static_cast<long long>(number));
  }
  case FieldType::kDecimal: {
    if (!value.is_number()) return wrong_type("number");
    const double number = value.to_number<double>();
    if (!std::isfinite(number)) return wrong_type("number");
    if (!in_range(number)) return std::nullopt;
    return json::value(number);
  }
  case FieldType::kDate: {
    if (!value.is_string()) return wrong_type("YYYY-MM-DD");
    const std::string_view text = value.get_string();
    if (!IsDate(text)) {
      errors.Add(path, "invalid_date");
      return std::nullopt;
    }
    if (field.not_in_future && text > today) {
      errors.Add(path, "in_future");
      return std::nullopt;
    }
    return value;
  }
  case FieldType::kBoolean:
    if (!value.is_bool()) return wrong_type("true / false");
    return value;
  case FieldType::kChoice: {
    const bool known = value.is_string() && std::ranges::any_of(field.options, [&](const Option& option) {
                         return option.value == value.get_string();
                       });
    if (!known) {
      errors.Add(path, "invalid_choice", {{"choices", Choices(field)}});
      return std::nullopt;
    }
    return value;
  }
  case FieldType::kMultiChoice: {
    if (!value.is_array()) return wrong_type("array");
    json::array chosen;
    std::set<std::string> seen;
    for (const auto& entry : value.get_array()) {
      const bool known = entry.is_string() && std::ranges::any_of(field.options, [&](const Option& option) {
                           return option.value == entry.get_string();
                         });
      if (!known) {
        errors.Add(path, "invalid_choice", {{"choices", Choices(field)}});
        return std::nullopt;
      }
      if (seen.insert(std::string(entry.get_string())).second) chosen.push_back(entry);
    }
    if (!in_range(static_cast<double>(chosen.size()))) return std::nullopt;
    return json::value(std::move(chosen));
  }
  }
  return std::nullopt;
}

/// What a field's answer adds to a sum: its options' scores, a "yes" score, or its number.
double ScoreOf(const Field& field, const json::value* answer) {
  if (!IsAnswered(answer)) return 0;
  auto option_score = [&](std::string_view chosen) {
    const auto found =
        std::ranges::find_if(field.options, [&](const Option& option) { return option.value == chosen; });
    return found == field.options.end() ? 0.0 : found->score;
  };
  switch (field.type) {
  case FieldType::kChoice:
    return option_score(answer->get_string());
  case FieldType::kMultiChoice: {
    double total = 0;
    for (const auto& entry : answer->get_array()) total += option_score(entry.get_string());
    return total;
  }
  case FieldType::kBoolean:
    return answer->get_bool() ? field.score_if_true : 0;
  case FieldType::kInteger:
  case FieldType::kDecimal:
    return answer->to_number<double>();
  default:
    return 0;
  }
}

json::object Compute(const FormDefinition& form, const json::object& answers) {
  json::object computed;
  for (const auto& value : form.computed) {
    if (value.kind == Computed::Kind::kSum) {
      double total = 0;
      for (const auto& id : value.fields) total += ScoreOf(*form.FindField(id), answers.if_contains(id));
      computed[value.id] = total;
      continue;
    }
    const json::value* source = computed.if_contains(value.source);
    const double score = source != nullptr ? source->to_number<double>() : 0;
    size_t rank = 0;
    for (size_t band_idx = 0; band_idx < value.bands.size(); ++band_idx) {
      if (score >= value.bands[band_idx].from) rank = band_idx;
    }
    for (const auto& raise : value.overrides) {
      if (!Holds(raise.when, answers, computed)) continue;
      for (size_t band_idx = rank + 1; band_idx < value.bands.size(); ++band_idx) {
        if (value.bands[band_idx].value == raise.value) rank = band_idx;
      }
    }
    computed[value.id] = value.bands[rank].value;
  }
  return computed;
}

}  // namespace

bool Holds(const Condition& condition, const json::object& answers, const json::object& computed) {
  switch (condition.op) {
  case Condition::Op::kAll:
    return std::ranges::all_of(condition.parts, [&](const Condition& part) { return Holds(part, answers, computed); });
  case Condition::Op::kAny:
    return std::ranges::any_of(condition.parts, [&](const Condition& part) { return Holds(part, answers, computed); });
  default:
    break;
  }
  const json::value* answer = answers.if_contains(condition.field);
  if (answer == nullptr) answer = computed.if_contains(condition.field);
  const bool answered = IsAnswered(answer);
  switch (condition.op) {
  case Condition::Op::kAnswered:
    return answered == (!condition.value.is_bool() || condition.value.get_bool());
  case Condition::Op::kEquals:
    return answered && Meets(*answer, json::array{condition.value});
  case Condition::Op::kNotEquals:
    return !answered || !Meets(*answer, json::array{condition.value});
  case Condition::Op::kIn:
    return answered && condition.value.is_array() && Meets(*answer, condition.value.get_array());
  case Condition::Op::kNotIn:
    return !answered || !condition.value.is_array() || !Meets(*answer, condition.value.get_array());
  case Condition::Op::kAtLeast: {
    if (!answered || !condition.value.is_number()) return false;
    const auto number = NumberOf(*answer);
    return number && *number >= condition.value.to_number<double>();
  }
  default:
    return false;
  }
}

Result<FilledForm> Fill(const FormDefinition& form, const json::object& answers, Completeness completeness,
                        std::string_view today, std::string_view prefix) {
  FieldErrors errors;
  FilledForm filled;
  for (const auto& [key, value] : answers) {
    const Field* field = form.FindField(key);
    const std::string path = std::string(prefix) + std::string(key);
    if (field == nullptr) {
      errors.Add(path, "unknown_field");
      continue;
    }
    if (!IsAnswered(&value)) continue;
    if (auto kept = Normalise(*field, value, today, path, errors)) filled.answers[key] = std::move(*kept);
  }
  filled.computed = Compute(form, filled.answers);
  for (const auto& section : form.sections) {
    const bool section_shown = !section.visible_if || Holds(*section.visible_if, filled.answers, filled.computed);
    for (const auto& field : section.fields) {
      const std::string path = std::string(prefix) + field.id;
      const bool shown =
          section_shown && (!field.visible_if || Holds(*field.visible_if, filled.answers, filled.computed));
      const bool answered = filled.answers.contains(field.id);
      if (!shown) {
        if (answered) errors.Add(path, "not_applicable");
        continue;
      }
      const bool required =
          field.required || (field.required_if && Holds(*field.required_if, filled.answers, filled.computed));
      // An answer given but refused (wrong type, out of range) already has its error.
      if (completeness == Completeness::kComplete && required && !answered &&
          !IsAnswered(answers.if_contains(field.id))) {
        errors.Add(path, "required");
      }
    }
  }
  if (auto done = errors.Finish(); !done) return Fail(done.error());
  return filled;
}

}  // namespace welfare::forms
