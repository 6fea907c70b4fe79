/// \file Permission codes. Every route declares one; roles grant them per unit (and the units below it).
#pragma once

#include <array>
#include <string_view>

namespace welfare::auth::perm {

/// Anyone, signed in or not.
inline constexpr std::string_view kPublic = "public";
/// A signed-in staff member acting on their own session or account (not an API token).
inline constexpr std::string_view kAuthenticated = "authenticated";

inline constexpr std::string_view kUnitsRead = "units.read";
inline constexpr std::string_view kUnitsManage = "units.manage";
inline constexpr std::string_view kStaffRead = "staff.read";
inline constexpr std::string_view kStaffManage = "staff.manage";
inline constexpr std::string_view kRolesAssign = "roles.assign";
inline constexpr std::string_view kAuditRead = "audit.read";
inline constexpr std::string_view kAuditExport = "audit.export";
inline constexpr std::string_view kJobsRead = "jobs.read";
inline constexpr std::string_view kTokensManage = "tokens.manage";
inline constexpr std::string_view kPersonsSearch = "persons.search";
inline constexpr std::string_view kPersonsRead = "persons.read";
inline constexpr std::string_view kPersonsWrite = "persons.write";
inline constexpr std::string_view kPersonsMerge = "persons.merge";
inline constexpr std::string_view kPersonsImport = "persons.import";
inline constexpr std::string_view kPersonsExport = "persons.export";
inline constexpr std::string_view kCasesRead = "cases.read";
inline constexpr std::string_view kCasesWrite = "cases.write";
inline constexpr std::string_view kCasesSupervise = "cases.supervise";
inline constexpr std::string_view kReferralsRespond = "referrals.respond";
inline constexpr std::string_view kWaitlistsRead = "waitlists.read";
inline constexpr std::string_view kWaitlistsManage = "waitlists.manage";
inline constexpr std::string_view kServiceTypesManage = "service_types.manage";

/// Every grantable permission (API token scopes are chosen from these).
inline constexpr std::array kAll = {
    kUnitsRead,        kUnitsManage,   kStaffRead,       kStaffManage,       kRolesAssign, kAuditRead,
    kAuditExport,      kJobsRead,      kTokensManage,    kPersonsSearch,     kPersonsRead, kPersonsWrite,
    kPersonsMerge,     kPersonsImport, kPersonsExport,   kCasesRead,         kCasesWrite,  kCasesSupervise,
    kReferralsRespond, kWaitlistsRead, kWaitlistsManage, kServiceTypesManage};

/// True for a grantable permission code.
[[nodiscard]] constexpr bool IsKnown(std::string_view code) {
  for (auto known : kAll) {
    if (known == code) return true;
  }
  return false;
}

}  // namespace welfare::auth::perm
