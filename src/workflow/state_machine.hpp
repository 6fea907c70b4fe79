/// \file The state machine helper every record kind uses: one table of transitions (from, action, to, permission,
/// guard), through which every change of state goes.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"

namespace welfare::workflow {

/// One allowed step: in state `from`, `action` leads to `to`, for a holder of `permission` at the record's unit,
/// when `guard` (if any) accepts the record. A guard explains a refusal with a stable code.
template <class State, class Record>
struct Transition {
  State from;
  std::string_view action;
  State to;
  std::string_view permission;
  Status (*guard)(const Record&) = nullptr;
};

/// The transitions of one record kind. States are stored by name (`names` indexed by the enum's value).
template <class State, class Record>
class StateMachine {
 public:
  using Step = Transition<State, Record>;

  StateMachine(std::string_view kind, std::vector<std::string_view> names, std::vector<Step> table)
      : kind_(kind), names_(std::move(names)), table_(std::move(table)) {}

  /// The record kind ("case", "referral", ...).
  [[nodiscard]] std::string_view kind() const { return kind_; }
  /// Every transition, in the order of the table.
  [[nodiscard]] const std::vector<Step>& table() const { return table_; }
  /// Every state, in the order of the enum.
  [[nodiscard]] std::vector<State> States() const {
    std::vector<State> states;
    for (size_t state_idx = 0; state_idx < names_.size(); ++state_idx) states.push_back(static_cast<State>(state_idx));
    return states;
  }
  /// Every action named in the table, once each.
  [[nodiscard]] std::vector<std::string_view> Actions() const {
    std::vector<std::string_view> actions;
    for (const auto& step : table_) {
      if (std::ranges::find(actions, step.action) == actions.end()) actions.push_back(step.action);
    }
    return actions;
  }

  /// The stored name of a state.
  [[nodiscard]] std::string_view Name(State state) const { return names_.at(static_cast<size_t>(state)); }
  /// The state with this stored name.
  [[nodiscard]] std::optional<State> Parse(std::string_view name) const {
    const auto found = std::ranges::find(names_, name);
    if (found == names_.end()) return std::nullopt;
    return static_cast<State>(found - names_.begin());
  }

  /// The actions possible from `from` (whatever the permission): what the console offers.
  [[nodiscard]] std::vector<std::string_view> ActionsFrom(State from) const {
    std::vector<std::string_view> actions;
    for (const auto& step : table_) {
      if (step.from == from && std::ranges::find(actions, step.action) == actions.end()) actions.push_back(step.action);
    }
    return actions;
  }

  /// The step `action` takes from `from` on `record`: invalid_transition (with the state, the action and the
  /// actions that are possible) when the table has no such step, or the guard's error when it refuses.
  [[nodiscard]] Result<Step> Find(State from, std::string_view action, const Record& record) const {
    const auto found =
        std::ranges::find_if(table_, [&](const Step& step) { return step.from == from && step.action == action; });
    if (found == table_.end()) {
      Error error =
          Error::Make(Canonical::kFailedPrecondition, "invalid_transition",
                      std::string(kind_) + ": no '" + std::string(action) + "' from " + std::string(Name(from)));
      boost::json::array allowed;
      for (auto possible : ActionsFrom(from)) allowed.emplace_back(possible);
      error.extra = boost::json::object{
          {"record_kind", kind_}, {"state", Name(from)}, {"action", action}, {"allowed_actions", std::move(allowed)}};
      return Fail(std::move(error));
    }
    if (found->guard != nullptr) {
      if (auto accepted = found->guard(record); !accepted) return Fail(accepted.error());
    }
    return *found;
  }

 private:
  std::string_view kind_;
  std::vector<std::string_view> names_;
  std::vector<Step> table_;
};

}  // namespace welfare::workflow
