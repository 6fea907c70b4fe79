// The state machines of case management: for each record kind, every state tried with every action. The expected
// steps are written out here, from the workflow as the department runs it, and the tables must match them exactly:
// each allowed step leads where it should with the permission it should, and every other pair is refused with
// invalid_transition naming the actions that are possible.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "cases/workflows.hpp"

namespace welfare::cases {
namespace {

/// "from --action--> to (permission)" for every allowed step.
using Expected = std::set<std::string>;

template <class State, class Facts>
void ExpectExactly(const workflow::StateMachine<State, Facts>& machine, const Facts& facts, const Expected& expected) {
  Expected allowed;
  for (State from : machine.States()) {
    for (auto action : machine.Actions()) {
      auto step = machine.Find(from, action, facts);
      if (step) {
        allowed.insert(std::string(machine.Name(from)) + " --" + std::string(action) + "--> " +
                       std::string(machine.Name(step->to)) + " (" + std::string(step->permission) + ")");
        continue;
      }
      EXPECT_EQ(step.error().code, "invalid_transition") << machine.Name(from) << " " << action;
      EXPECT_EQ(step.error().extra.at("state").as_string(), machine.Name(from));
      EXPECT_EQ(step.error().extra.at("action").as_string(), action);
      EXPECT_EQ(step.error().extra.at("allowed_actions").as_array().size(), machine.ActionsFrom(from).size());
    }
    // An action no table knows is refused the same way.
    EXPECT_EQ(machine.Find(from, "teleport", facts).error().code, "invalid_transition");
  }
  EXPECT_EQ(allowed, expected) << machine.kind();
}

TEST(CaseWorkflows, Enquiry) {
  ExpectExactly(Enquiries(), EnquiryFacts{},
                {"open --record_outcome--> closed (cases.write)", "open --start_intake--> closed (cases.write)"});
}

TEST(CaseWorkflows, Intake) {
  ExpectExactly(Intakes(), IntakeFacts{},
                {"draft --save--> draft (cases.write)", "draft --complete--> completed (cases.write)"});
}

TEST(CaseWorkflows, Referral) {
  ExpectExactly(Referrals(), ReferralFacts{},
                {"sent --accept--> accepted (referrals.respond)", "sent --decline--> declined (referrals.respond)",
                 "sent --withdraw--> withdrawn (cases.write)"});
  const auto no_reason = Referrals().Find(ReferralState::kSent, "decline", ReferralFacts{.reason_given = false});
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().code, "reason_required");
}

TEST(CaseWorkflows, Case) {
  const CaseFacts ready{.closure_reason_given = true, .closing_summary_given = true, .comment_given = true};
  ExpectExactly(Cases(), ready,
                {"unallocated --allocate--> active (cases.supervise)",
                 "active --reallocate--> active (cases.supervise)",
                 "active --request_closure--> closure_requested (cases.write)",
                 "closure_requested --approve_closure--> closed (cases.supervise)",
                 "closure_requested --return_closure--> active (cases.supervise)",
                 "active --request_transfer--> transfer_requested (cases.write)",
                 "transfer_requested --complete_transfer--> transferred (referrals.respond)",
                 "transfer_requested --cancel_transfer--> active (cases.write)",
                 "closed --reopen--> unallocated (cases.supervise)"});
  auto missing = ready;
  missing.closing_summary_given = false;
  EXPECT_EQ(Cases().Find(CaseState::kActive, "request_closure", missing).error().code, "closure_details_required");
  auto pending = ready;
  pending.plan_awaiting_decision = true;
  EXPECT_EQ(Cases().Find(CaseState::kActive, "request_closure", pending).error().code, "plan_awaiting_decision");
  auto silent = ready;
  silent.comment_given = false;
  EXPECT_EQ(Cases().Find(CaseState::kClosureRequested, "return_closure", silent).error().code, "comment_required");
  // A transferred case is over for its unit: nothing leads out of it.
  EXPECT_TRUE(Cases().ActionsFrom(CaseState::kTransferred).empty());
}

TEST(CaseWorkflows, Transfer) {
  ExpectExactly(Transfers(), TransferFacts{},
                {"requested --accept--> accepted (referrals.respond)",
                 "requested --decline--> declined (referrals.respond)",
                 "requested --withdraw--> withdrawn (cases.write)"});
  EXPECT_EQ(Transfers().Find(TransferState::kRequested, "decline", TransferFacts{.reason_given = false}).error().code,
            "reason_required");
}

TEST(CaseWorkflows, Assessment) {
  ExpectExactly(Assessments(), AssessmentFacts{},
                {"draft --save--> draft (cases.write)", "draft --complete--> completed (cases.write)"});
}

TEST(CaseWorkflows, ServicePlan) {
  ExpectExactly(Plans(), PlanFacts{.goals = 2, .comment_given = true},
                {"draft --save--> draft (cases.write)", "draft --submit--> submitted (cases.write)",
                 "returned --save--> returned (cases.write)", "returned --submit--> submitted (cases.write)",
                 "submitted --approve--> approved (cases.supervise)",
                 "submitted --return--> returned (cases.supervise)",
                 "approved --supersede--> superseded (cases.supervise)"});
  EXPECT_EQ(Plans().Find(PlanState::kDraft, "submit", PlanFacts{}).error().code, "plan_needs_goal");
  EXPECT_EQ(Plans().Find(PlanState::kSubmitted, "return", PlanFacts{.goals = 1}).error().code, "comment_required");
  // An approved plan is locked: it is never saved again, only superseded by a newer approved version.
  EXPECT_FALSE(Plans().Find(PlanState::kApproved, "save", PlanFacts{.goals = 1}));
}

TEST(CaseWorkflows, WaitingList) {
  ExpectExactly(Waitlist(), WaitlistFacts{},
                {"waiting --offer--> offered (waitlists.manage)", "offered --accept--> placed (waitlists.manage)",
                 "offered --refuse--> waiting (waitlists.manage)", "offered --lapse--> waiting (waitlists.manage)",
                 "waiting --withdraw--> withdrawn (waitlists.manage)",
                 "offered --withdraw--> withdrawn (waitlists.manage)",
                 "waiting --remove--> removed (waitlists.manage)"});
}

}  // namespace
}  // namespace welfare::cases
