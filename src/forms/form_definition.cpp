// Reading a form definition from JSON and writing it back.
#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

#include <boost/json.hpp>

#include "forms/form.hpp"

namespace welfare::forms {
namespace json = boost::json;

namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 8> kTypeNames = {{
    {FieldType::kText, "text"},
    {FieldType::kTextarea, "textarea"},
    {FieldType::kInteger, "integer"},
    {FieldType::kDecimal, "decimal"},
    {FieldType::kDate, "date"},
    {FieldType::kBoolean, "boolean"},
    {FieldType::kChoice, "choice"},
    {FieldType::kMultiChoice, "multi_choice"},
}};

constexpr std::array<std::pair<Condition::Op, std::string_view>, 6> kFieldOps = {{
    {Condition::Op::kEquals, "equals"},
    {Condition::Op::kNotEquals, "not_equals"},
    {Condition::Op::kIn, "in"},
    {Condition::Op::kNotIn, "not_in"},
    {Condition::Op::kAnswered, "answered"},
    {Condition::Op::kAtLeast, "at_least"},
}};

/// Walks a definition, recording every problem with its path.
class Reader {
 public:
  explicit Reader(FieldErrors& errors) : errors(errors) {}
  FieldErrors& errors;

  const json::object* Object(const json::value* value, const std::string& path) {
    if (value == nullptr) {
      errors.Add(path, "required");
      return nullptr;
    }
    if (!value->is_object()) {
      errors.Add(path, "invalid_type", {{"expected", "object"}});
      return nullptr;
    }
    return &value->get_object();
  }

  const json::array* Array(const json::value* value, const std::string& path, bool required) {
    if (value == nullptr) {
      if (required) errors.Add(path, "required");
      return nullptr;
    }
    if (!value->is_array()) {
      errors.Add(path, "invalid_type", {{"expected", "array"}});
      return nullptr;
    }
    return &value->get_array();
  }

  std::string Id(const json::object& object, const std::string& path) {
    const json::value* value = object.if_contains("id");
    if (value == nullptr || !value->is_string() || !IsIdentifier(value->get_string())) {
      errors.Add(path + ".id", "invalid_format", {{"hint", "a-z, 0-9, _"}});
      return {};
    }
    return std::string(value->get_string());
  }

  /// A label in both languages: {"zh": "...", "en": "..."}.
  Label Text(const json::value* value, const std::string& path) {
    Label label;
    const json::object* object = Object(value, path);
    if (object == nullptr) return label;
    for (auto [member, target] : {std::pair{"zh", &label.zh}, std::pair{"en", &label.en}}) {
      const json::value* text = object->if_contains(member);
      if (text == nullptr || !text->is_string() || text->get_string().empty()) {
        errors.Add(path + "." + member, "required");
      } else {
        *target = std::string(text->get_string());
      }
    }
    return label;
  }

  std::optional<double> Number(const json::object& object, std::string_view member, const std::string& path) {
    const json::value* value = object.if_contains(member);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_number()) {
      errors.Add(path + "." + std::string(member), "invalid_type", {{"expected", "number"}});
      return std::nullopt;
    }
    return value->to_number<double>();
  }

  bool Flag(const json::object& object, std::string_view member, const std::string& path) {
    const json::value* value = object.if_contains(member);
    if (value == nullptr) return false;
    if (!value->is_bool()) {
      errors.Add(path + "." + std::string(member), "invalid_type", {{"expected", "true / false"}});
      return false;
    }
    return value->get_bool();
  }

  std::optional<Condition> ConditionAt(const json::object& parent, std::string_view member, const std::string& path) {
    const json::value* value = parent.if_contains(member);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return ReadCondition(*value, path + "." + std::string(member));
  }

  Condition ReadCondition(const json::value& value, const std::string& path) {
    Condition condition;
    const json::object* object = Object(&value, path);
    if (object == nullptr) return condition;
    for (auto [op, member] : {std::pair{Condition::Op::kAll, "all"}, std::pair{Condition::Op::kAny, "any"}}) {
      if (const json::value* parts = object->if_contains(member)) {
        condition.op = op;
        if (const json::array* list = Array(parts, path + "." + member, true)) {
          for (size_t part_idx = 0; part_idx < list->size(); ++part_idx) {
            condition.parts.push_back(
                ReadCondition((*list)[part_idx], path + "." + member + "." + std::to_string(part_idx)));
          }
        }
        return condition;
      }
    }
    const json::value* field = object->if_contains("field");
    if (field == nullptr || !field->is_string()) {
      errors.Add(path + ".field", "required");
      return condition;
    }
    condition.field = std::string(field->get_string());
    referenced.emplace_back(condition.field, path + ".field");
    for (auto [op, member] : kFieldOps) {
      if (const json::value* operand = object->if_contains(member)) {
        condition.op = op;
        condition.value = *operand;
        const bool wants_list = op == Condition::Op::kIn || op == Condition::Op::kNotIn;
        if (wants_list && !operand->is_array()) {
          errors.Add(path + "." + std::string(member), "invalid_type", {{"expected", "array"}});
        }
        if (op == Condition::Op::kAtLeast && !operand->is_number()) {
          errors.Add(path + "." + std::string(member), "invalid_type", {{"expected", "number"}});
        }
        return condition;
      }
    }
    errors.Add(path, "invalid_format", {{"hint", "equals, not_equals, in, not_in, answered, at_least, all, any"}});
    return condition;
  }

  Field ReadField(const json::value& value, const std::string& path) {
    Field field;
    const json::object* object = Object(&value, path);
    if (object == nullptr) return field;
    field.id = Id(*object, path);
    field.label = Text(object->if_contains("label"), path + ".label");
    if (const json::value* help = object->if_contains("help")) field.help = Text(help, path + ".help");
    const json::value* type = object->if_contains("type");
    const auto named = std::ranges::find_if(kTypeNames, [&](const auto& entry) {
      return type != nullptr && type->is_string() && entry.second == type->get_string();
    });
    if (named == kTypeNames.end()) {
      std::string choices;
      for (const auto& entry : kTypeNames) choices += (choices.empty() ? "" : ", ") + std::string(entry.second);
      errors.Add(path + ".type", "invalid_choice", {{"choices", choices}});
    } else {
      field.type = named->first;
    }
    field.required = Flag(*object, "required", path);
    field.required_if = ConditionAt(*object, "required_if", path);
    field.visible_if = ConditionAt(*object, "visible_if", path);
    field.min = Number(*object, "min", path);
    field.max = Number(*object, "max", path);
    if (field.min && field.max && *field.min > *field.max) errors.Add(path + ".max", "out_of_range");
    if (auto length = Number(*object, "max_length", path)) {
      if (*length < 1 || *length > 100000) errors.Add(path + ".max_length", "out_of_range");
      field.max_length = static_cast<size_t>(std::clamp(*length, 1.0, 100000.0));
    }
    field.not_in_future = Flag(*object, "not_in_future", path);
    field.score_if_true = Number(*object, "score_if_true", path).value_or(0);
    const bool has_options = field.type == FieldType::kChoice || field.type == FieldType::kMultiChoice;
    const json::array* options = Array(object->if_contains("options"), path + ".options", has_options);
    if (options != nullptr && has_options) {
      std::set<std::string> values;
      for (size_t option_idx = 0; option_idx < options->size(); ++option_idx) {
        const std::string option_path = path + ".options." + std::to_string(option_idx);
        const json::object* option = Object(&(*options)[option_idx], option_path);
        if (option == nullptr) continue;
        Option read;
        const json::value* option_value = option->if_contains("value");
        if (option_value == nullptr || !option_value->is_string() || !IsIdentifier(option_value->get_string())) {
          errors.Add(option_path + ".value", "invalid_format", {{"hint", "a-z, 0-9, _"}});
        } else {
          read.value = std::string(option_value->get_string());
          if (!values.insert(read.value).second) errors.Add(option_path + ".value", "taken");
        }
        read.label = Text(option->if_contains("label"), option_path + ".label");
        read.score = Number(*option, "score", option_path).value_or(0);
        field.options.push_back(std::move(read));
      }
      if (options->empty()) errors.Add(path + ".options", "required");
    } else if (options != nullptr) {
      errors.Add(path + ".options", "not_applicable");
    }
    return field;
  }

  Computed ReadComputed(const json::value& value, const std::string& path) {
    Computed computed;
    const json::object* object = Object(&value, path);
    if (object == nullptr) return computed;
    computed.id = Id(*object, path);
    computed.label = Text(object->if_contains("label"), path + ".label");
    const json::value* kind = object->if_contains("kind");
    if (kind != nullptr && kind->is_string() && kind->get_string() == "sum") {
      computed.kind = Computed::Kind::kSum;
      if (const json::array* fields = Array(object->if_contains("fields"), path + ".fields", true)) {
        for (size_t field_idx = 0; field_idx < fields->size(); ++field_idx) {
          const auto& entry = (*fields)[field_idx];
          const std::string entry_path = path + ".fields." + std::to_string(field_idx);
          if (!entry.is_string()) {
            errors.Add(entry_path, "invalid_type", {{"expected", "string"}});
            continue;
          }
          computed.fields.emplace_back(entry.get_string());
          summed.emplace_back(computed.fields.back(), entry_path);
        }
      }
    } else if (kind != nullptr && kind->is_string() && kind->get_string() == "level") {
      computed.kind = Computed::Kind::kLevel;
      const json::value* source = object->if_contains("source");
      if (source == nullptr || !source->is_string()) {
        errors.Add(path + ".source", "required");
      } else {
        computed.source = std::string(source->get_string());
        sources.emplace_back(computed.source, path + ".source");
      }
      if (const json::array* bands = Array(object->if_contains("bands"), path + ".bands", true)) {
        for (size_t band_idx = 0; band_idx < bands->size(); ++band_idx) {
          const std::string band_path = path + ".bands." + std::to_string(band_idx);
          const json::object* band = Object(&(*bands)[band_idx], band_path);
          if (band == nullptr) continue;
          Band read;
          read.from = Number(*band, "from", band_path).value_or(0);
          const json::value* band_value = band->if_contains("value");
          if (band_value == nullptr || !band_value->is_string() || !IsIdentifier(band_value->get_string())) {
            errors.Add(band_path + ".value", "invalid_format", {{"hint", "a-z, 0-9, _"}});
          } else {
            read.value = std::string(band_value->get_string());
          }
          read.label = Text(band->if_contains("label"), band_path + ".label");
          if (!computed.bands.empty() && read.from <= computed.bands.back().from) {
            errors.Add(band_path + ".from", "out_of_range");
          }
          computed.bands.push_back(std::move(read));
        }
        if (bands->empty()) errors.Add(path + ".bands", "required");
      }
      if (const json::array* overrides = Array(object->if_contains("overrides"), path + ".overrides", false)) {
        for (size_t override_idx = 0; override_idx < overrides->size(); ++override_idx) {
          const std::string override_path = path + ".overrides." + std::to_string(override_idx);
          const json::object* entry = Object(&(*overrides)[override_idx], override_path);
          if (entry == nullptr) continue;
          Computed::Override read;
          if (const json::value* when = entry->if_contains("when")) {
            read.when = ReadCondition(*when, override_path + ".when");
          } else {
            errors.Add(override_path + ".when", "required");
          }
          const json::value* raised = entry->if_contains("value");
          if (raised == nullptr || !raised->is_string()) {
            errors.Add(override_path + ".value", "required");
          } else {
            read.value = std::string(raised->get_string());
            const bool known =
                std::ranges::any_of(computed.bands, [&](const Band& band) { return band.value == read.value; });
            if (!known) errors.Add(override_path + ".value", "invalid_choice", {{"choices", "a band's value"}});
          }
          computed.overrides.push_back(std::move(read));
        }
      }
    } else {
      errors.Add(path + ".kind", "invalid_choice", {{"choices", "sum, level"}});
    }
    return computed;
  }

  /// Names used by conditions, sums and levels, checked once every id is known.
  std::vector<std::pair<std::string, std::string>> referenced, summed, sources;
};

}  // namespace

bool IsIdentifier(std::string_view text) {
  if (text.empty() || text.size() > 64 || !(text.front() >= 'a' && text.front() <= 'z')) return false;
  return std::ranges::all_of(text, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

Label ReadLabel(const json::value* value, const std::string& path, FieldErrors& errors) {
  Reader reader(errors);
  return reader.Text(value, path);
}

Condition ReadCondition(const json::value& value, const std::string& path, FieldErrors& errors) {
  Reader reader(errors);
  return reader.ReadCondition(value, path);
}

json::object LabelJson(const Label& label) { return json::object{{"zh", label.zh}, {"en", label.en}}; }

json::object ConditionJson(const Condition& condition) {
  if (condition.op == Condition::Op::kAll || condition.op == Condition::Op::kAny) {
    json::array parts;
    for (const auto& part : condition.parts) parts.push_back(ConditionJson(part));
    return json::object{{condition.op == Condition::Op::kAll ? "all" : "any", std::move(parts)}};
  }
  const auto named = std::ranges::find_if(kFieldOps, [&](const auto& entry) { return entry.first == condition.op; });
  return json::object{{"field", condition.field}, {named->second, condition.value}};
}

std::string_view TypeName(FieldType type) {
  return std::ranges::find_if(kTypeNames, [&](const auto& entry) { return entry.first == type; })->second;
}

const Field* FormDefinition::FindField(std::string_view id) const {
  for (const auto& section : sections) {
    for (const auto& field : section.fields) {
      if (field.id == id) return &field;
    }
  }
  return nullptr;
}

const Computed* FormDefinition::FindComputed(std::string_view id) const {
  const auto found = std::ranges::find_if(computed, [&](const Computed& entry) { return entry.id == id; });
  return found == computed.end() ? nullptr : &*found;
}

Result<FormDefinition> ParseDefinition(const json::value& value) {
  FieldErrors errors;
  Reader reader(errors);
  FormDefinition form;
  const json::object* object = reader.Object(&value, "definition");
  if (object == nullptr) return Fail(Error::Validation({{"definition", "invalid_type", {{"expected", "object"}}}}));
  const json::value* code = object->if_contains("code");
  if (code == nullptr || !code->is_string() || !IsIdentifier(code->get_string())) {
    reader.errors.Add("code", "invalid_format", {{"hint", "a-z, 0-9, _"}});
  } else {
    form.code = std::string(code->get_string());
  }
  const auto version = reader.Number(*object, "version", "");
  if (!version || *version < 1 || std::floor(*version) != *version) {
    reader.errors.Add("version", "out_of_range", {{"min", "1"}, {"max", "∞"}});
  } else {
    form.version = static_cast<int>(*version);
  }
  form.title = reader.Text(object->if_contains("title"), "title");
  std::set<std::string> ids;
  auto claim = [&](const std::string& id, const std::string& path) {
    if (!id.empty() && !ids.insert(id).second) reader.errors.Add(path + ".id", "taken");
  };
  if (const json::array* sections = reader.Array(object->if_contains("sections"), "sections", true)) {
    for (size_t section_idx = 0; section_idx < sections->size(); ++section_idx) {
      const std::string path = "sections." + std::to_string(section_idx);
      const json::object* entry = reader.Object(&(*sections)[section_idx], path);
      if (entry == nullptr) continue;
      Section section;
      section.id = reader.Id(*entry, path);
      section.title = reader.Text(entry->if_contains("title"), path + ".title");
      section.visible_if = reader.ConditionAt(*entry, "visible_if", path);
      if (const json::array* fields = reader.Array(entry->if_contains("fields"), path + ".fields", true)) {
        for (size_t field_idx = 0; field_idx < fields->size(); ++field_idx) {
          const std::string field_path = path + ".fields." + std::to_string(field_idx);
          section.fields.push_back(reader.ReadField((*fields)[field_idx], field_path));
          claim(section.fields.back().id, field_path);
        }
      }
      form.sections.push_back(std::move(section));
    }
    if (sections->empty()) reader.errors.Add("sections", "required");
  }
  if (const json::array* computed = reader.Array(object->if_contains("computed"), "computed", false)) {
    for (size_t computed_idx = 0; computed_idx < computed->size(); ++computed_idx) {
      const std::string path = "computed." + std::to_string(computed_idx);
      form.computed.push_back(reader.ReadComputed((*computed)[computed_idx], path));
      claim(form.computed.back().id, path);
    }
  }
  for (const auto& [name, path] : reader.referenced) {
    if (form.FindField(name) == nullptr && form.FindComputed(name) == nullptr) reader.errors.Add(path, "not_found");
  }
  for (const auto& [name, path] : reader.summed) {
    if (form.FindField(name) == nullptr) reader.errors.Add(path, "not_found");
  }
  for (const auto& [name, path] : reader.sources) {
    const Computed* source = form.FindComputed(name);
    if (source == nullptr || source->kind != Computed::Kind::kSum) reader.errors.Add(path, "not_found");
  }
  if (auto done = reader.errors.Finish(); !done) return Fail(done.error());
  return form;
}

json::object DefinitionJson(const FormDefinition& form) {
  json::array sections;
  for (const auto& section : form.sections) {
    json::array fields;
    for (const auto& field : section.fields) {
      json::object entry{{"id", field.id}, {"type", TypeName(field.type)}, {"label", LabelJson(field.label)}};
      if (field.help) entry["help"] = LabelJson(*field.help);
      if (field.required) entry["required"] = true;
      if (field.required_if) entry["required_if"] = ConditionJson(*field.required_if);
      if (field.visible_if) entry["visible_if"] = ConditionJson(*field.visible_if);
      if (field.min) entry["min"] = *field.min;
      if (field.max) entry["max"] = *field.max;
      if (field.type == FieldType::kText || field.type == FieldType::kTextarea) {
        entry["max_length"] = static_cast<long long>(field.max_length);
      }
      if (field.not_in_future) entry["not_in_future"] = true;
      if (field.score_if_true != 0) entry["score_if_true"] = field.score_if_true;
      if (!field.options.empty()) {
        json::array options;
        for (const auto& option : field.options) {
          json::object choice{{"value", option.value}, {"label", LabelJson(option.label)}};
          if (option.score != 0) choice["score"] = option.score;
          options.push_back(std::move(choice));
        }
        entry["options"] = std::move(options);
      }
      fields.push_back(std::move(entry));
    }
    json::object entry{{"id", section.id}, {"title", LabelJson(section.title)}, {"fields", std::move(fields)}};
    if (section.visible_if) entry["visible_if"] = ConditionJson(*section.visible_if);
    sections.push_back(std::move(entry));
  }
  json::array computed;
  for (const auto& value : form.computed) {
    json::object entry{{"id", value.id}, {"label", LabelJson(value.label)}};
    if (value.kind == Computed::Kind::kSum) {
      entry["kind"] = "sum";
      json::array fields;
      for (const auto& field : value.fields) fields.emplace_back(field);
      entry["fields"] = std::move(fields);
    } else {
      entry["kind"] = "level";
      entry["source"] = value.source;
      json::array bands;
      for (const auto& band : value.bands) {
        bands.push_back(json::object{{"from", band.from}, {"value", band.value}, {"label", LabelJson(band.label)}});
      }
      entry["bands"] = std::move(bands);
      if (!value.overrides.empty()) {
        json::array overrides;
        for (const auto& raise : value.overrides) {
          overrides.push_back(json::object{{"when", ConditionJson(raise.when)}, {"value", raise.value}});
        }
        entry["overrides"] = std::move(overrides);
      }
    }
    computed.push_back(std::move(entry));
  }
  return json::object{{"code", form.code},
                      {"version", form.version},
                      {"title", LabelJson(form.title)},
                      {"sections", std::move(sections)},
                      {"computed", std::move(computed)}};
}

}  // namespace welfare::forms
