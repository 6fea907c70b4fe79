#include "app/demo_data.hpp"

#include "auth/staff_service.hpp"
#include "auth/unit_service.hpp"

namespace welfare::app {
namespace {

struct DemoUnit {
  const char* code;
  const char* parent;
  const char* kind;
  const char* name_zh;
  const char* name_en;
};

constexpr DemoUnit kUnits[] = {
    {"SWD", nullptr, "department", "社會福利署", "Social Welfare Department"},
    {"SWD-EW", "SWD", "district", "東區及灣仔區福利辦事處", "Eastern and Wan Chai District Social Welfare Office"},
    {"IFSC-EAST", "SWD-EW", "service_unit", "東區綜合家庭服務中心", "Eastern Integrated Family Service Centre"},
    {"SWD-KC", "SWD", "district", "九龍城區福利辦事處", "Kowloon City District Social Welfare Office"},
    {"IFSC-KC", "SWD-KC", "service_unit", "九龍城綜合家庭服務中心", "Kowloon City Integrated Family Service Centre"},
    {"HUALIEN", nullptr, "county", "花蓮縣政府社會處", "Hualien County Social Affairs Department"},
    {"HUALIEN-CITY", "HUALIEN", "township_office", "花蓮市公所", "Hualien City Office"},
    {"JIAN", "HUALIEN", "township_office", "吉安鄉公所", "Ji'an Township Office"},
    {"NGO-CARE", nullptr, "ngo", "關愛社會服務協會", "Caring Society Social Services"},
    {"NGO-CARE-NEC", "NGO-CARE", "service_unit", "關愛長者鄰舍中心", "Caring Society Neighbourhood Elderly Centre"},
};

struct DemoStaff {
  const char* username;
  const char* display_name;
  const char* password;
  const char* unit;
  const char* role;
  const char* totp_secret;  // nullptr: none
  const char* locale;
};

constexpr DemoStaff kStaff[] = {
    {"admin", "系統管理員 陳大文", "OpenWelfare-admin-2026", "SWD", "system_admin", "OWDEMOADMINSECRETAAAAAAAAAAAAAAA",
     "zh-Hant"},
    {"auditor", "稽核 李美玲", "OpenWelfare-auditor-2026", "SWD", "auditor", "OWDEMOAUDITORSECRETAAAAAAAAAAAAA",
     "zh-Hant"},
    {"supervisor", "督導 黃志強", "OpenWelfare-supervisor-2026", "IFSC-EAST", "supervisor", nullptr, "zh-Hant"},
    {"worker", "社工 張嘉欣", "OpenWelfare-worker-2026", "IFSC-EAST", "caseworker", nullptr, "zh-Hant"},
    {"clerk", "承辦人 林淑芬", "OpenWelfare-clerk-2026", "HUALIEN-CITY", "township_clerk", nullptr, "zh-Hant"},
    {"reviewer", "複審 王建國", "OpenWelfare-reviewer-2026", "HUALIEN", "county_reviewer", nullptr, "zh-Hant"},
    {"ngo", "Mary Chan", "OpenWelfare-ngo-2026", "NGO-CARE-NEC", "ngo_submitter", nullptr, "en"},
    {"steward", "資料管理員 何家明", "OpenWelfare-steward-2026", "SWD", "data_steward", nullptr, "zh-Hant"},
};

}  // namespace

std::vector<DemoAccount> SeedDemo(Runtime& runtime) {
  const audit::Actor actor = CommandLineActor("seed-demo");
  auto seeded = runtime.database().Write<bool>([&](soci::session& sql) -> Result<bool> {
    for (const auto& demo : kUnits) {
      if (auth::FindUnitByCode(sql, demo.code)) continue;
      auth::Unit unit;
      unit.code = demo.code;
      unit.kind = demo.kind;
      unit.name_zh = demo.name_zh;
      unit.name_en = demo.name_en;
      if (demo.parent != nullptr) unit.parent_id = auth::FindUnitByCode(sql, demo.parent)->id;
      auto created = runtime.units().CreateTrusted(sql, actor, unit);
      if (!created) return Fail(created.error());
    }
    for (const auto& demo : kStaff) {
      if (auth::FindStaffId(sql, demo.username)) continue;
      const long long unit_id = auth::FindUnitByCode(sql, demo.unit)->id;
      auth::NewStaff staff;
      staff.username = demo.username;
      staff.display_name = demo.display_name;
      staff.email = std::string(demo.username) + "@demo.openwelfare.org";
      staff.unit_id = unit_id;
      staff.password = demo.password;
      staff.locale = demo.locale;
      if (demo.totp_secret != nullptr) staff.totp_secret = demo.totp_secret;
      auto id = runtime.staff().CreateTrusted(sql, actor, staff);
      if (!id) return Fail(id.error());
      runtime.staff().GrantTrusted(sql, actor, *id, demo.role, unit_id);
    }
    return true;
  });
  if (!seeded) throw std::runtime_error("demo data could not be loaded: " + seeded.error().internal);
  std::vector<DemoAccount> accounts;
  for (const auto& demo : kStaff) {
    accounts.push_back(DemoAccount{demo.username,
                                   demo.password,
                                   {demo.role},
                                   demo.totp_secret ? std::optional<std::string>(demo.totp_secret) : std::nullopt});
  }
  return accounts;
}

}  // namespace welfare::app
