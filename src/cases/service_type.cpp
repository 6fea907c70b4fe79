// Reading a service type from JSON and writing it back.
#include "cases/service_type.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <boost/json.hpp>

namespace welfare::cases {
namespace json = boost::json;

namespace {

/// Walks a service type, recording every problem with its path.
class Reader {
 public:
  explicit Reader(const json::object& object) : object_(object) {}
  FieldErrors errors;

  std::string Code(std::string_view member, bool required) {
    const json::value* value = object_.if_contains(member);
    if (value == nullptr || value->is_null()) {
      if (required) errors.Add(std::string(member), "required");
      return {};
    }
    if (!value->is_string() || !forms::IsIdentifier(value->get_string())) {
      errors.Add(std::string(member), "invalid_format", {{"hint", "a-z, 0-9, _"}});
      return {};
    }
    return std::string(value->get_string());
  }

  int Whole(std::string_view member, int fallback, int min, int max) {
    const json::value* value = object_.if_contains(member);
    if (value == nullptr || value->is_null()) return fallback;
    if (!value->is_number() || std::floor(value->to_number<double>()) != value->to_number<double>() ||
        value->to_number<double>() < min || value->to_number<double>() > max) {
      errors.Add(std::string(member), "out_of_range", {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
      return fallback;
    }
    return static_cast<int>(value->to_number<double>());
  }

  std::vector<std::string> Codes(std::string_view member) {
    std::vector<std::string> codes;
    const json::value* value = object_.if_contains(member);
    if (value == nullptr || value->is_null()) return codes;
    if (!value->is_array()) {
      errors.Add(std::string(member), "invalid_type", {{"expected", "array"}});
      return codes;
    }
    for (size_t entry_idx = 0; entry_idx < value->get_array().size(); ++entry_idx) {
      const auto& entry = value->get_array()[entry_idx];
      if (!entry.is_string() || entry.get_string().empty() || entry.get_string().size() > 64) {
        errors.Add(std::string(member) + "." + std::to_string(entry_idx), "invalid_type", {{"expected", "string"}});
        continue;
      }
      codes.emplace_back(entry.get_string());
    }
    return codes;
  }

  std::vector<Choice> Choices(std::string_view member, bool required) {
    std::vector<Choice> choices;
    const json::value* value = object_.if_contains(member);
    if (value == nullptr || value->is_null() || !value->is_array() || value->get_array().empty()) {
      if (required || (value != nullptr && !value->is_null() && !value->is_array())) {
        errors.Add(std::string(member), "required");
      }
      return choices;
    }
    std::set<std::string> seen;
    for (size_t choice_idx = 0; choice_idx < value->get_array().size(); ++choice_idx) {
      const std::string path = std::string(member) + "." + std::to_string(choice_idx);
      const auto& entry = value->get_array()[choice_idx];
      if (!entry.is_object()) {
        errors.Add(path, "invalid_type", {{"expected", "object"}});
        continue;
      }
      Choice choice;
      const json::value* code = entry.get_object().if_contains("value");
      if (code == nullptr || !code->is_string() || !forms::IsIdentifier(code->get_string())) {
        errors.Add(path + ".value", "invalid_format", {{"hint", "a-z, 0-9, _"}});
      } else {
        choice.value = std::string(code->get_string());
        if (!seen.insert(choice.value).second) errors.Add(path + ".value", "taken");
      }
      choice.label = forms::ReadLabel(entry.get_object().if_contains("label"), path + ".label", errors);
      choices.push_back(std::move(choice));
    }
    return choices;
  }

  const json::object* Object(std::string_view member) {
    const json::value* value = object_.if_contains(member);
    if (value == nullptr || value->is_null()) return nullptr;
    if (!value->is_object()) {
      errors.Add(std::string(member), "invalid_type", {{"expected", "object"}});
      return nullptr;
    }
    return &value->get_object();
  }

 private:
  const json::object& object_;
};

json::array ChoicesJson(const std::vector<Choice>& choices) {
  json::array out;
  for (const auto& choice : choices) {
    out.push_back(json::object{{"value", choice.value}, {"label", forms::LabelJson(choice.label)}});
  }
  return out;
}

json::array CodesJson(const std::vector<std::string>& codes) {
  json::array out;
  for (const auto& code : codes) out.emplace_back(code);
  return out;
}

}  // namespace

std::vector<std::string> ServiceType::FormCodes() const {
  std::vector<std::string> codes{intake_form};
  codes.insert(codes.end(), assessment_tools.begin(), assessment_tools.end());
  if (waitlist) codes.push_back(waitlist->application_form);
  return codes;
}

Result<ServiceType> ParseServiceType(const json::value& value, const std::vector<std::string>* known_forms) {
  if (!value.is_object()) return Fail(Error::Validation({{"definition", "invalid_type", {{"expected", "object"}}}}));
  const json::object& object = value.get_object();
  Reader reader(object);
  ServiceType type;
  type.code = reader.Code("code", true);
  type.version = reader.Whole("version", 0, 1, 1000000);
  if (type.version == 0) reader.errors.Add("version", "required");
  type.name = forms::ReadLabel(object.if_contains("name"), "name", reader.errors);
  const json::value* prefix = object.if_contains("reference_prefix");
  const bool prefix_ok = prefix != nullptr && prefix->is_string() && prefix->get_string().size() >= 1 &&
                         prefix->get_string().size() <= 6 &&
                         std::ranges::all_of(prefix->get_string(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!prefix_ok) {
    reader.errors.Add("reference_prefix", "invalid_format", {{"hint", "1-6 capital letters, e.g. CP"}});
  } else {
    type.reference_prefix = std::string(prefix->get_string());
  }
  type.intake_form = reader.Code("intake_form", true);
  type.assessment_tools = reader.Codes("assessment_tools");
  type.plan_domains = reader.Choices("plan_domains", true);
  type.interventions = reader.Choices("interventions", true);
  type.closure_reasons = reader.Choices("closure_reasons", true);
  type.review_interval_days = reader.Whole("review_interval_days", 90, 7, 730);
  if (const json::value* weight = object.if_contains("caseload_weight")) {
    if (!weight->is_number() || weight->to_number<double>() <= 0 || weight->to_number<double>() > 20) {
      reader.errors.Add("caseload_weight", "out_of_range", {{"min", "0"}, {"max", "20"}});
    } else {
      type.caseload_weight = weight->to_number<double>();
    }
  }
  if (const json::object* days = reader.Object("response_days")) {
    Reader inner(*days);
    type.response_days.urgent = inner.Whole("urgent", 1, 0, 90);
    type.response_days.high = inner.Whole("high", 3, 0, 90);
    type.response_days.normal = inner.Whole("normal", 10, 0, 90);
    if (!inner.errors.Empty()) reader.errors.Add("response_days", "out_of_range", {{"min", "0"}, {"max", "90"}});
  }
  if (const json::object* risk = reader.Object("risk")) {
    Reader inner(*risk);
    RiskRule rule;
    rule.tool = inner.Code("tool", true);
    rule.level = inner.Code("level", true);
    rule.alert_levels = inner.Codes("alert_levels");
    if (!inner.errors.Empty()) reader.errors.Add("risk", "invalid_format", {{"hint", "tool, level, alert_levels"}});
    if (!rule.tool.empty() && std::ranges::find(type.assessment_tools, rule.tool) == type.assessment_tools.end()) {
      reader.errors.Add("risk.tool", "not_found");
    }
    type.risk = std::move(rule);
  }
  if (const json::object* waitlist = reader.Object("waitlist")) {
    Reader inner(*waitlist);
    WaitlistRule rule;
    rule.application_form = inner.Code("application_form", true);
    rule.offer_days = inner.Whole("offer_days", 14, 1, 90);
    if (!inner.errors.Empty()) {
      reader.errors.Add("waitlist", "invalid_format", {{"hint", "application_form, offer_days (1-90), priority"}});
    }
    if (const json::value* priority = waitlist->if_contains("priority")) {
      if (!priority->is_array()) {
        reader.errors.Add("waitlist.priority", "invalid_type", {{"expected", "array"}});
      } else {
        for (size_t rule_idx = 0; rule_idx < priority->get_array().size(); ++rule_idx) {
          const std::string path = "waitlist.priority." + std::to_string(rule_idx);
          const auto& entry = priority->get_array()[rule_idx];
          if (!entry.is_object()) {
            reader.errors.Add(path, "invalid_type", {{"expected", "object"}});
            continue;
          }
          PriorityRule read;
          if (const json::value* when = entry.get_object().if_contains("when")) {
            read.when = forms::ReadCondition(*when, path + ".when", reader.errors);
          } else {
            reader.errors.Add(path + ".when", "required");
          }
          const json::value* points = entry.get_object().if_contains("points");
          if (points == nullptr || !points->is_int64() || points->get_int64() < -1000 || points->get_int64() > 1000) {
            reader.errors.Add(path + ".points", "out_of_range", {{"min", "-1000"}, {"max", "1000"}});
          } else {
            read.points = static_cast<int>(points->get_int64());
          }
          read.label = forms::ReadLabel(entry.get_object().if_contains("label"), path + ".label", reader.errors);
          rule.priority.push_back(std::move(read));
        }
      }
    }
    type.waitlist = std::move(rule);
  }
  const json::value* units = object.if_contains("units");
  if (units != nullptr && !units->is_null()) {
    if (!units->is_array()) {
      reader.errors.Add("units", "invalid_type", {{"expected", "array"}});
    } else {
      for (size_t unit_idx = 0; unit_idx < units->get_array().size(); ++unit_idx) {
        const auto& entry = units->get_array()[unit_idx];
        if (!entry.is_string() || entry.get_string().empty()) {
          reader.errors.Add("units." + std::to_string(unit_idx), "invalid_type", {{"expected", "unit code"}});
          continue;
        }
        type.units.emplace_back(entry.get_string());
      }
    }
  }
  if (known_forms != nullptr) {
    auto check = [&](const std::string& code, const std::string& path) {
      if (!code.empty() && std::ranges::find(*known_forms, code) == known_forms->end()) {
        reader.errors.Add(path, "not_found");
      }
    };
    check(type.intake_form, "intake_form");
    for (size_t tool_idx = 0; tool_idx < type.assessment_tools.size(); ++tool_idx) {
      check(type.assessment_tools[tool_idx], "assessment_tools." + std::to_string(tool_idx));
    }
    if (type.waitlist) check(type.waitlist->application_form, "waitlist.application_form");
  }
  if (auto done = reader.errors.Finish(); !done) return Fail(done.error());
  return type;
}

json::object ServiceTypeJson(const ServiceType& type) {
  json::object out{{"code", type.code},
                   {"version", type.version},
                   {"name", forms::LabelJson(type.name)},
                   {"reference_prefix", type.reference_prefix},
                   {"intake_form", type.intake_form},
                   {"assessment_tools", CodesJson(type.assessment_tools)},
                   {"plan_domains", ChoicesJson(type.plan_domains)},
                   {"interventions", ChoicesJson(type.interventions)},
                   {"closure_reasons", ChoicesJson(type.closure_reasons)},
                   {"review_interval_days", type.review_interval_days},
                   {"caseload_weight", type.caseload_weight},
                   {"response_days", json::object{{"urgent", type.response_days.urgent},
                                                  {"high", type.response_days.high},
                                                  {"normal", type.response_days.normal}}},
                   {"units", CodesJson(type.units)}};
  if (type.risk) {
    out["risk"] = json::object{
        {"tool", type.risk->tool}, {"level", type.risk->level}, {"alert_levels", CodesJson(type.risk->alert_levels)}};
  }
  if (type.waitlist) {
    json::array priority;
    for (const auto& rule : type.waitlist->priority) {
      priority.push_back(json::object{
          {"when", forms::ConditionJson(rule.when)}, {"points", rule.points}, {"label", forms::LabelJson(rule.label)}});
    }
    out["waitlist"] = json::object{{"application_form", type.waitlist->application_form},
                                   {"offer_days", type.waitlist->offer_days},
                                   {"priority", std::move(priority)}};
  }
  return out;
}

}  // namespace welfare::cases
