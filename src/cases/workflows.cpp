// The transition tables of case management.
#include "cases/workflows.hpp"

#include "auth/permissions.hpp"

namespace welfare::cases {
namespace {

namespace perm = auth::perm;

Status Refuse(const char* code) { return Fail(Error::Make(Canonical::kFailedPrecondition, code)); }

Status DeclineHasReason(const ReferralFacts& facts) {
  return facts.reason_given ? Status{} : Refuse("reason_required");
}
Status TransferDeclineHasReason(const TransferFacts& facts) {
  return facts.reason_given ? Status{} : Refuse("reason_required");
}
Status ClosureIsReady(const CaseFacts& facts) {
  if (!facts.closure_reason_given || !facts.closing_summary_given) return Refuse("closure_details_required");
  if (facts.plan_awaiting_decision) return Refuse("plan_awaiting_decision");
  return {};
}
Status ClosureReturnHasComment(const CaseFacts& facts) {
  return facts.comment_given ? Status{} : Refuse("comment_required");
}
Status PlanHasGoals(const PlanFacts& facts) { return facts.goals > 0 ? Status{} : Refuse("plan_needs_goal"); }
Status PlanReturnHasComment(const PlanFacts& facts) {
  return facts.comment_given ? Status{} : Refuse("comment_required");
}

}  // namespace

const EnquiryMachine& Enquiries() {
  using enum EnquiryState;
  static const EnquiryMachine machine("enquiry", {"open", "closed"},
                                      {
                                          {kOpen, "record_outcome", kClosed, perm::kCasesWrite},
                                          {kOpen, "start_intake", kClosed, perm::kCasesWrite},
                                      });
  return machine;
}

const IntakeMachine& Intakes() {
  using enum IntakeState;
  static const IntakeMachine machine("intake", {"draft", "completed"},
                                     {
                                         {kDraft, "save", kDraft, perm::kCasesWrite},
                                         {kDraft, "complete", kCompleted, perm::kCasesWrite},
                                     });
  return machine;
}

const ReferralMachine& Referrals() {
  using enum ReferralState;
  static const ReferralMachine machine("referral", {"sent", "accepted", "declined", "withdrawn"},
                                       {
                                           {kSent, "accept", kAccepted, perm::kReferralsRespond},
                                           {kSent, "decline", kDeclined, perm::kReferralsRespond, DeclineHasReason},
                                           {kSent, "withdraw", kWithdrawn, perm::kCasesWrite},
                                       });
  return machine;
}

const CaseMachine& Cases() {
  using enum CaseState;
  static const CaseMachine machine(
      "case", {"unallocated", "active", "closure_requested", "transfer_requested", "closed", "transferred"},
      {
          {kUnallocated, "allocate", kActive, perm::kCasesSupervise},
          {kActive, "reallocate", kActive, perm::kCasesSupervise},
          {kActive, "request_closure", kClosureRequested, perm::kCasesWrite, ClosureIsReady},
          {kClosureRequested, "approve_closure", kClosed, perm::kCasesSupervise},
          {kClosureRequested, "return_closure", kActive, perm::kCasesSupervise, ClosureReturnHasComment},
          {kActive, "request_transfer", kTransferRequested, perm::kCasesWrite},
          {kTransferRequested, "complete_transfer", kTransferred, perm::kReferralsRespond},
          {kTransferRequested, "cancel_transfer", kActive, perm::kCasesWrite},
          {kClosed, "reopen", kUnallocated, perm::kCasesSupervise},
      });
  return machine;
}

const TransferMachine& Transfers() {
  using enum TransferState;
  static const TransferMachine machine(
      "transfer", {"requested", "accepted", "declined", "withdrawn"},
      {
          {kRequested, "accept", kAccepted, perm::kReferralsRespond},
          {kRequested, "decline", kDeclined, perm::kReferralsRespond, TransferDeclineHasReason},
          {kRequested, "withdraw", kWithdrawn, perm::kCasesWrite},
      });
  return machine;
}

const AssessmentMachine& Assessments() {
  using enum AssessmentState;
  static const AssessmentMachine machine("assessment", {"draft", "completed"},
                                         {
                                             {kDraft, "save", kDraft, perm::kCasesWrite},
                                             {kDraft, "complete", kCompleted, perm::kCasesWrite},
                                         });
  return machine;
}

const PlanMachine& Plans() {
  using enum PlanState;
  static const PlanMachine machine("service_plan", {"draft", "submitted", "returned", "approved", "superseded"},
                                   {
                                       {kDraft, "save", kDraft, perm::kCasesWrite},
                                       {kDraft, "submit", kSubmitted, perm::kCasesWrite, PlanHasGoals},
                                       {kReturned, "save", kReturned, perm::kCasesWrite},
                                       {kReturned, "submit", kSubmitted, perm::kCasesWrite, PlanHasGoals},
                                       {kSubmitted, "approve", kApproved, perm::kCasesSupervise},
                                       {kSubmitted, "return", kReturned, perm::kCasesSupervise, PlanReturnHasComment},
                                       {kApproved, "supersede", kSuperseded, perm::kCasesSupervise},
                                   });
  return machine;
}

const WaitlistMachine& Waitlist() {
  using enum WaitlistState;
  static const WaitlistMachine machine("waitlist_entry", {"waiting", "offered", "placed", "withdrawn", "removed"},
                                       {
                                           {kWaiting, "offer", kOffered, perm::kWaitlistsManage},
                                           {kOffered, "accept", kPlaced, perm::kWaitlistsManage},
                                           {kOffered, "refuse", kWaiting, perm::kWaitlistsManage},
                                           {kOffered, "lapse", kWaiting, perm::kWaitlistsManage},
                                           {kWaiting, "withdraw", kWithdrawn, perm::kWaitlistsManage},
                                           {kOffered, "withdraw", kWithdrawn, perm::kWaitlistsManage},
                                           {kWaiting, "remove", kRemoved, perm::kWaitlistsManage},
                                       });
  return machine;
}

}  // namespace welfare::cases
