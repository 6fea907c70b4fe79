#include "core/messages.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <unordered_map>

namespace welfare {
namespace {

struct Text {
  const char* zh;
  const char* en;
};

struct ProblemText {
  Text title;
  Text detail;
};

const std::unordered_map<std::string_view, ProblemText>& Problems() {
  static const std::unordered_map<std::string_view, ProblemText> table = {
      {"validation_failed",
       {{"輸入資料有誤", "Some fields need attention"},
        {"請修正標示的欄位後再送出。", "Correct the marked fields and send again."}}},
      {"malformed_json",
       {{"無法讀取送出的資料", "The request body could not be read"},
        {"送出的內容不是有效的 JSON。請檢查格式後再試。",
         "The body is not valid JSON. Check its syntax and try again."}}},
      {"unsupported_media_type",
       {{"不支援的資料格式", "Unsupported content type"},
        {"請以 application/json 格式送出資料。", "Send the body as application/json."}}},
      {"unauthenticated",
       {{"請先登入", "Please sign in"},
        {"您尚未登入或登入已逾時，請重新登入。", "You are not signed in or your session has expired. Sign in again."}}},
      {"invalid_credentials",
       {{"帳號或密碼不正確", "Wrong username or password"},
        {"請檢查帳號與密碼後再試。多次失敗後帳號會暫時鎖定。",
         "Check your username and password and try again. Repeated failures lock the account for a while."}}},
      {"totp_required",
       {{"需要驗證碼", "Verification code required"},
        {"請輸入驗證器應用程式顯示的 6 位數驗證碼，或一組備用碼。",
         "Enter the 6-digit code from your authenticator app, or one of your recovery codes."}}},
      {"totp_invalid",
       {{"驗證碼不正確", "Wrong verification code"},
        {"驗證碼不正確或已過期。請輸入驗證器目前顯示的驗證碼。",
         "The code is wrong or has expired. Enter the code your authenticator shows now."}}},
      {"account_locked",
       {{"帳號已鎖定", "Account locked"},
        {"此帳號已被鎖定，請聯絡系統管理員。", "This account is locked. Contact your system administrator."}}},
      {"too_many_attempts",
       {{"嘗試次數過多", "Too many attempts"},
        {"失敗次數過多，請稍候再試。", "Too many failed attempts. Wait a few minutes and try again."}}},
      {"password_change_required",
       {{"請先變更密碼", "Change your password first"},
        {"您的密碼已被重設，請先在帳號設定中設定新密碼。",
         "Your password was reset. Set a new password in your account settings first."}}},
      {"totp_setup_required",
       {{"請先設定雙重驗證", "Set up two-step verification first"},
        {"您的角色需要雙重驗證。請先在帳號設定中設定驗證器應用程式。",
         "Your role requires two-step verification. Set up an authenticator app in your account settings first."}}},
      {"permission_denied",
       {{"沒有權限", "Not allowed"},
        {"您的角色沒有執行此操作的權限。如有需要，請聯絡您的主管或系統管理員。",
         "Your roles do not allow this action. Ask your supervisor or system administrator if you need it."}}},
      {"csrf_failed",
       {{"請求驗證失敗", "Request could not be verified"},
        {"請重新整理頁面後再試。", "Reload the page and try again."}}},
      {"not_found",
       {{"找不到資料", "Not found"},
        {"要求的資料不存在，或已被刪除。", "The requested record does not exist or has been removed."}}},
      {"route_not_found",
       {{"找不到此網址", "No such address"},
        {"此 API 網址不存在。請參閱 docs/openapi.yaml。", "This API address does not exist. See docs/openapi.yaml."}}},
      {"method_not_allowed",
       {{"不支援的操作", "Method not allowed"},
        {"此網址不支援這個 HTTP 方法。", "This address does not support this HTTP method."}}},
      {"version_conflict",
       {{"資料已被他人修改", "Changed by someone else"},
        {"您編輯期間，這筆資料已被其他人修改。請重新載入最新版本後再修改。",
         "Someone else changed this record while you were editing it. Reload the latest version and make your change "
         "again."}}},
      {"already_exists",
       {{"資料已存在", "Already exists"},
        {"已有相同的資料，請改用其他值。", "A record with the same value already exists. Use a different value."}}},
      {"failed_precondition",
       {{"目前無法執行", "Not possible now"},
        {"此資料目前的狀態不允許這個操作。", "The record's current state does not allow this action."}}},
      {"payload_too_large",
       {{"資料過大", "Request too large"},
        {"送出的資料超過上限，請縮小後再試。", "The request is larger than the limit. Send less data."}}},
      {"header_too_large",
       {{"標頭過大", "Request headers too large"},
        {"請求標頭超過上限。請清除此網站的 Cookie 後再試。",
         "The request headers are too large. Clear this site's cookies and try again."}}},
      {"bad_request", {{"無法處理的請求", "Bad request"}, {"請求格式不正確。", "The request is malformed."}}},
      {"internal",
       {{"系統發生錯誤", "Something went wrong"},
        {"系統發生未預期的錯誤，資料未被變更。請稍後再試；若問題持續，請將請求編號提供給服務台。",
         "An unexpected error occurred and nothing was changed. Try again later; if it persists, give the request id "
         "to the help desk."}}},
      {"unavailable",
       {{"服務暫時無法使用", "Service unavailable"},
        {"系統暫時無法處理，請稍後再試。", "The system cannot handle the request right now. Try again shortly."}}},
      {"possible_duplicates",
       {{"可能已有此人的紀錄", "This person may already be registered"},
        {"系統找到可能是同一人的紀錄。請先確認下列紀錄；若確定是不同的人，請填寫理由後再建立新紀錄。",
         "Records that may be the same person were found. Check them first; if this is a different person, give a "
         "reason and create the record anyway."}}},
      {"record_merged",
       {{"此紀錄已合併", "This record was merged"},
        {"此紀錄已併入另一筆紀錄，請改用合併後的紀錄。",
         "This record was merged into another one. Use the surviving record."}}},
      {"access_restricted",
       {{"您沒有查看此紀錄的權限", "You may not see this record"},
        {"您的單位目前沒有服務此人，且此人未同意分享資料。如有需要，請聯絡負責單位，或在緊急情況下申請緊急查閱。",
         "Your unit is not serving this person and they have not consented to share with it. Contact the unit "
         "responsible, or in an emergency use emergency access."}}},
      {"reason_required",
       {{"請說明理由", "A reason is needed"},
        {"拒絕時必須說明理由，對方才知道下一步該怎麼做。",
         "Give the reason for declining, so the sender knows what to do next."}}},
      {"closure_details_required",
       {{"請填寫結案原因及摘要", "Closure reason and summary needed"},
        {"申請結案前，請選擇結案原因並撰寫結案摘要。",
         "Choose a closure reason and write a closing summary before asking to close the case."}}},
      {"plan_awaiting_decision",
       {{"服務計劃尚待審批", "A service plan awaits a decision"},
        {"督導尚未審批已提交的服務計劃。請待督導批准或退回後再申請結案。",
         "The supervisor has not yet decided on the submitted service plan. Ask to close the case after it is approved "
         "or returned."}}},
      {"plan_needs_goal",
       {{"服務計劃沒有目標", "The plan has no goals"},
        {"提交前，請為服務計劃加入至少一個目標。", "Add at least one goal to the service plan before submitting it."}}},
      {"plan_in_progress",
       {{"已有服務計劃在處理中", "A plan version is in progress"},
        {"此個案已有未批核的服務計劃版本。請先完成、提交或處理該版本。",
         "This case already has a plan version that is not approved yet. Finish, submit or settle that one first."}}},
      {"comment_required",
       {{"請填寫意見", "A comment is needed"},
        {"退回時請寫下意見，讓社工知道需要修改甚麼。",
         "Write a comment when returning it, so the worker knows what to change."}}},
      {"invalid_transition",
       {{"無法執行此步驟", "This step is not possible now"},
        {"此紀錄目前的狀態不允許這個操作。", "The record's current state does not allow this action."}}},
      {"already_ended",
       {{"已經結束", "Already ended"}, {"此項服務已經結束，不需再次結束。", "This involvement has already ended."}}},
      {"csv_required",
       {{"不支援的資料格式", "Unsupported content type"},
        {"請以 text/csv（UTF-8）格式上傳檔案。", "Upload the file as text/csv (UTF-8)."}}},
      {"already_left",
       {{"已經離開", "Already left"}, {"此成員已經離開這個家戶。", "This member has already left the household."}}},
      {"already_undone", {{"已經復原", "Already undone"}, {"此合併已經復原。", "This merge has already been undone."}}},
      {"undo_later_merge_first",
       {{"請先復原較新的合併", "Undo the later merge first"},
        {"保留的紀錄之後又被併入另一筆紀錄。請先復原那次合併。",
         "The surviving record was later merged into another one. Undo that merge first."}}},
      {"shutting_down",
       {{"系統正在關閉", "Server is shutting down"},
        {"伺服器正在重新啟動，請稍後再試。", "The server is restarting. Try again in a moment."}}},
  };
  return table;
}

const std::unordered_map<std::string_view, Text>& Fields() {
  static const std::unordered_map<std::string_view, Text> table = {
      {"required", {"此欄位為必填。", "This field is required."}},
      {"too_short", {"至少需要 {min} 個字元。", "Use at least {min} characters."}},
      {"too_long", {"最多 {max} 個字元。", "Use at most {max} characters."}},
      {"invalid_format", {"格式不正確：{hint}", "Wrong format: {hint}"}},
      {"invalid_type", {"應為{expected}。", "Expected {expected}."}},
      {"invalid_choice", {"請從下列選項中選擇：{choices}", "Choose one of: {choices}"}},
      {"not_found", {"找不到指定的資料。", "The referenced record does not exist."}},
      {"taken", {"此值已被使用，請改用其他值。", "This value is already in use; choose another."}},
      {"password_common",
       {"這是常見密碼，很容易被猜中。請改用較長且不常見的密碼或片語。",
        "This is a common password that is easy to guess. Use a longer, uncommon phrase."}},
      {"password_contains_username", {"密碼不可包含帳號名稱。", "The password must not contain the username."}},
      {"password_too_simple",
       {"密碼過於簡單（重複或連續的字元）。請改用較不規則的密碼。",
        "The password is too simple (repeated or sequential characters). Use a less regular one."}},
      {"password_wrong", {"目前的密碼不正確。", "The current password is wrong."}},
      {"password_reused", {"新密碼不可與目前的密碼相同。", "The new password must differ from the current one."}},
      {"totp_invalid", {"驗證碼不正確或已過期。", "The code is wrong or has expired."}},
      {"totp_not_started", {"請先開始設定驗證器。", "Start the authenticator set-up first."}},
      {"totp_not_enabled", {"此帳號尚未設定雙重驗證。", "Two-step verification is not set up for this account."}},
      {"cycle", {"不可將單位移到它自己的下層。", "A unit cannot be moved below itself."}},
      {"kind_not_allowed",
       {"「{parent}」之下不可建立「{kind}」類型的單位。",
        "A unit of kind \"{kind}\" cannot be placed under a \"{parent}\"."}},
      {"unknown_field", {"不認識的欄位。請參閱 API 文件。", "Unknown field. See the API documentation."}},
      {"malformed_json", {"檔案不是有效的 JSON：{detail}", "The file is not valid JSON: {detail}"}},
      {"not_provided_here",
       {"此單位不提供這項服務。請轉介至提供此服務的單位。",
        "This unit does not provide this service. Refer the person to a unit that does."}},
      {"not_a_worker_here",
       {"此同事不是本單位的社工，不能編配個案給他。", "This staff member is not a caseworker of the case's unit."}},
      {"same_unit", {"不可轉介給自己的單位。", "A referral must go to another unit."}},
      {"already_allocated", {"個案已編配給這位社工。", "The case is already allocated to this worker."}},
      {"record_merged",
       {"此紀錄已併入另一筆紀錄，請改用合併後的紀錄。",
        "This record was merged into another one. Use the surviving record."}},
      {"path_mismatch",
       {"代碼必須與網址中的代碼（{path}）相同。", "The code must be the one in the address ({path})."}},
      {"file_name_mismatch",
       {"代碼必須與檔案名稱相同（不含 .json）。", "The code must be the file name without .json."}},
      {"not_applicable",
       {"依其他欄位的答案，此題不適用，請留空。",
        "This question does not apply given the other answers; leave it empty."}},
      {"out_of_range", {"數值應介於 {min} 與 {max} 之間。", "The value must be between {min} and {max}."}},
      {"name_required", {"請至少填寫中文姓名或英文姓名。", "Give a Chinese name or an English name (or both)."}},
      {"invalid_date",
       {"日期格式不正確或不存在。請使用 YYYY-MM-DD、YYYY-MM 或 YYYY。",
        "Not a real date. Use YYYY-MM-DD, YYYY-MM or YYYY."}},
      {"in_future", {"日期不可晚於今天。", "The date cannot be in the future."}},
      {"before_birth", {"死亡日期不可早於出生日期。", "The date of death cannot be before the date of birth."}},
      {"check_digit",
       {"號碼的檢查碼不正確，請核對證件上的號碼。",
        "The check digit does not match. Check the number on the document."}},
      {"document_registered",
       {"此證件號碼已登記於另一筆紀錄（編號 {person_id}）。請搜尋該紀錄，不要重複建立。",
        "This document number is already on another record (no. {person_id}). Search for that record instead of "
        "creating a new one."}},
      {"duplicate_in_request", {"同一證件號碼重複填寫。", "The same number is given twice."}},
      {"invalid_phone", {"電話號碼至少需要 8 位數字。", "A phone number needs at least 8 digits."}},
      {"invalid_email", {"電子郵件地址格式不正確。", "Not a valid e-mail address."}},
      {"invalid_language",
       {"語言代碼格式不正確（例如 yue、zh、en、nan）。", "Not a language code (for example yue, zh, en, nan)."}},
      {"reason_too_short", {"請具體說明理由（至少 {min} 個字）。", "Explain the reason in at least {min} characters."}},
      {"not_a_candidate",
       {"此紀錄不在系統提示的可能重複名單中。", "This record was not among the possible duplicates shown."}},
      {"candidates_not_reviewed",
       {"請先檢視系統提示的每一筆可能重複紀錄：{ids}", "Review every possible duplicate first: {ids}"}},
      {"before_start",
       {"結束日期不可早於開始日期（{started_on}）。", "The end date cannot be before the start ({started_on})."}},
      {"related_records",
       {"這兩筆紀錄之間有家庭關係，不可能是同一人。請先移除該關係。",
        "These two records are linked as family, so they cannot be the same person. Remove the link first."}},
      {"self_relationship", {"不可將人與自己建立關係。", "A person cannot be related to themselves."}},
      {"same_record", {"不可將紀錄與自己合併。", "A record cannot be merged into itself."}},
      {"csv_header_missing",
       {"檔案是空的或沒有標題列。第一列必須是欄位名稱。",
        "The file is empty or has no header row. The first row must name the columns."}},
      {"csv_unknown_column",
       {"不認識的欄位「{column}」。請使用匯入範本的欄位名稱。",
        "Unknown column \"{column}\". Use the column names of the import template."}},
      {"csv_missing_column", {"缺少欄位「{column}」。", "The column \"{column}\" is missing."}},
      {"csv_unclosed_quote",
       {"此列的引號沒有結束，之後的內容無法讀取。",
        "A quoted field on this line never closes, so the rest of the file cannot be read."}},
      {"csv_field_count",
       {"此列有 {found} 個欄位，應有 {expected} 個。請檢查逗號與引號。",
        "This line has {found} fields instead of {expected}. Check its commas and quotes."}},
      {"duplicate_in_file", {"與第 {line} 列重複。", "The same as line {line}."}},
      {"self_action", {"不可對自己的帳號執行此操作。", "You cannot do this to your own account."}},
      {"outside_scope", {"您只能管理自己權限範圍內單位的資料。", "You can only manage units within your own scope."}},
  };
  return table;
}

std::string Fill(std::string text, const std::map<std::string, std::string>& params) {
  for (const auto& [name, value] : params) {
    const std::string token = "{" + name + "}";
    for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + value.size())) {
      text.replace(pos, token.size(), value);
    }
  }
  return text;
}

const char* Pick(const Text& text, Locale locale) { return locale == Locale::kEn ? text.en : text.zh; }

std::string Lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

bool ParseLocaleTag(std::string_view tag, Locale& out) {
  const std::string lower = Lower(tag);
  if (lower.starts_with("zh")) {
    out = Locale::kZhHant;
    return true;
  }
  if (lower.starts_with("en")) {
    out = Locale::kEn;
    return true;
  }
  return false;
}

Locale NegotiateLocale(std::string_view accept_language) {
  // Picks the supported tag with the highest quality; ties keep the header's order.
  Locale best = Locale::kZhHant;
  double best_quality = 0.0;
  size_t start = 0;
  while (start < accept_language.size()) {
    size_t end = accept_language.find(',', start);
    if (end == std::string_view::npos) end = accept_language.size();
    const std::string_view item = accept_language.substr(start, end - start);
    start = end + 1;
    const size_t semicolon = item.find(';');
    std::string_view tag = item.substr(0, semicolon);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    double quality = 1.0;
    if (semicolon != std::string_view::npos) {
      const size_t q_pos = item.find("q=", semicolon);
      if (q_pos != std::string_view::npos) quality = std::atof(std::string(item.substr(q_pos + 2)).c_str());
    }
    Locale locale{};
    if (quality > best_quality && ParseLocaleTag(tag, locale)) {
      best = locale;
      best_quality = quality;
    }
  }
  return best;
}

std::string_view LocaleTag(Locale locale) { return locale == Locale::kEn ? "en" : "zh-Hant"; }

std::string ProblemTitle(std::string_view code, Locale locale) {
  const auto& table = Problems();
  auto found = table.find(code);
  if (found == table.end()) found = table.find("internal");
  return Pick(found->second.title, locale);
}

std::string ProblemDetail(std::string_view code, Locale locale) {
  const auto& table = Problems();
  auto found = table.find(code);
  if (found == table.end()) found = table.find("internal");
  return Pick(found->second.detail, locale);
}

std::string FieldMessage(std::string_view code, const std::map<std::string, std::string>& params, Locale locale) {
  const auto& table = Fields();
  auto found = table.find(code);
  if (found == table.end()) return locale == Locale::kEn ? "Invalid value." : "資料不正確。";
  return Fill(Pick(found->second, locale), params);
}

bool HasProblemText(std::string_view code) { return Problems().contains(code); }
bool HasFieldText(std::string_view code) { return Fields().contains(code); }

}  // namespace welfare
