/// \file A service type as configuration: its forms, assessment tools, service plan template, closure reasons,
/// review interval, risk rule, waiting list rules and the units that provide it. Read from JSON, so that adding a
/// service type needs no new build.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "forms/form.hpp"

namespace welfare::cases {

/// A coded choice with its label in both languages (closure reasons, plan domains, interventions).
struct Choice {
  std::string value;
  forms::Label label;
};

/// When an assessment with `tool` is completed, its computed `level` is the case's risk; levels in `alert_levels`
/// raise an alert to the unit's supervisors at once.
struct RiskRule {
  std::string tool;
  std::string level;
  std::vector<std::string> alert_levels;
};

/// One rule of a waiting list's priority: `points` when `when` holds for the application's answers.
struct PriorityRule {
  forms::Condition when;
  int points = 0;
  forms::Label label;
};

/// A service with limited places: applications join the list of the service type and a district.
struct WaitlistRule {
  std::string application_form;
  std::vector<PriorityRule> priority;
  int offer_days = 14;  ///< how long an offer stays open
};

/// How soon a receiving unit must answer a referral, by urgency.
struct ResponseDays {
  int urgent = 1;
  int high = 3;
  int normal = 10;
};

/// A service type, one version of it.
struct ServiceType {
  std::string code;
  int version = 1;
  forms::Label name;
  std::string reference_prefix;  ///< case references: PREFIX-YEAR-NNNNNN
  std::string intake_form;
  std::vector<std::string> assessment_tools;
  std::optional<RiskRule> risk;
  std::vector<Choice> plan_domains;
  std::vector<Choice> interventions;
  std::vector<Choice> closure_reasons;
  int review_interval_days = 90;
  double caseload_weight = 1;
  ResponseDays response_days;
  std::optional<WaitlistRule> waitlist;
  std::vector<std::string> units;  ///< codes of the units providing it

  /// The forms the type names (intake, assessment tools, waiting list application).
  [[nodiscard]] std::vector<std::string> FormCodes() const;
};

/// Reads and checks a service type; the error lists every problem with its path. Form codes are checked against
/// `known_forms` when given (the forms must exist before the type that uses them).
[[nodiscard]] Result<ServiceType> ParseServiceType(const boost::json::value& json,
                                                   const std::vector<std::string>* known_forms = nullptr);
/// The service type as JSON, in the shape ParseServiceType reads.
[[nodiscard]] boost::json::object ServiceTypeJson(const ServiceType& type);

}  // namespace welfare::cases
