/// \file The state machines of case management, one per record kind: every change of state of an enquiry, intake,
/// referral, case, transfer, assessment, service plan or waiting list entry goes through its table.
#pragma once

#include <optional>
#include <string>

#include "workflow/state_machine.hpp"

namespace welfare::cases {

/// The facts a guard looks at. Services fill them from the record and the request.
struct EnquiryFacts {};
struct IntakeFacts {};
struct ReferralFacts {
  bool reason_given = true;  ///< a decline needs a reason
};
struct CaseFacts {
  bool closure_reason_given = false;
  bool closing_summary_given = false;
  bool plan_awaiting_decision = false;  ///< a service plan is submitted and not yet decided
  bool comment_given = false;           ///< returning a closure needs a comment
};
struct TransferFacts {
  bool reason_given = true;  ///< a decline needs a reason
};
struct AssessmentFacts {};
struct PlanFacts {
  size_t goals = 0;
  bool comment_given = false;  ///< returning a plan needs a comment
};
struct WaitlistFacts {};

enum class EnquiryState { kOpen, kClosed };
enum class IntakeState { kDraft, kCompleted };
enum class ReferralState { kSent, kAccepted, kDeclined, kWithdrawn };
enum class CaseState { kUnallocated, kActive, kClosureRequested, kTransferRequested, kClosed, kTransferred };
enum class TransferState { kRequested, kAccepted, kDeclined, kWithdrawn };
enum class AssessmentState { kDraft, kCompleted };
enum class PlanState { kDraft, kSubmitted, kReturned, kApproved, kSuperseded };
enum class WaitlistState { kWaiting, kOffered, kPlaced, kWithdrawn, kRemoved };

using EnquiryMachine = workflow::StateMachine<EnquiryState, EnquiryFacts>;
using IntakeMachine = workflow::StateMachine<IntakeState, IntakeFacts>;
using ReferralMachine = workflow::StateMachine<ReferralState, ReferralFacts>;
using CaseMachine = workflow::StateMachine<CaseState, CaseFacts>;
using TransferMachine = workflow::StateMachine<TransferState, TransferFacts>;
using AssessmentMachine = workflow::StateMachine<AssessmentState, AssessmentFacts>;
using PlanMachine = workflow::StateMachine<PlanState, PlanFacts>;
using WaitlistMachine = workflow::StateMachine<WaitlistState, WaitlistFacts>;

/// An enquiry: open until its outcome is recorded (information given, referred elsewhere, no further action) or an
/// intake starts from it.
[[nodiscard]] const EnquiryMachine& Enquiries();
/// An intake: a draft saved as often as needed, completed once with its outcome (open a case, refer, end).
[[nodiscard]] const IntakeMachine& Intakes();
/// A referral: sent; accepted or declined (with a reason) by the receiving unit, or withdrawn by the sender.
[[nodiscard]] const ReferralMachine& Referrals();
/// A case: allocated by a supervisor, reallocated, closed on a supervisor's approval of the worker's request
/// (reason and closing summary), transferred to another unit on its acceptance, reopened after closure.
[[nodiscard]] const CaseMachine& Cases();
/// A transfer of a case to another unit.
[[nodiscard]] const TransferMachine& Transfers();
/// An assessment with one of the service type's tools: a draft, then completed (and locked).
[[nodiscard]] const AssessmentMachine& Assessments();
/// A service plan version: drafted, submitted, returned with comments or approved (and locked); a newer approved
/// version supersedes it.
[[nodiscard]] const PlanMachine& Plans();
/// A waiting list entry: waiting, offered a place, placed, or withdrawn or removed.
[[nodiscard]] const WaitlistMachine& Waitlist();

}  // namespace welfare::cases
