#include "registry/matching.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include <sodium.h>

#include "registry/identity.hpp"
#include "registry/text.hpp"

namespace welfare::registry {
namespace {

long long KeyHash(std::string_view prefix, std::string_view value) {
  std::string text;
  text.reserve(prefix.size() + value.size());
  text.append(prefix).append(value);
  unsigned char digest[8];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr,
                     0);
  long long key = 0;
  std::memcpy(&key, digest, sizeof key);
  return key;
}

std::string Join(const std::vector<std::string>& words, size_t from, size_t to) {
  std::string joined;
  for (size_t word_idx = from; word_idx < to && word_idx < words.size(); ++word_idx) joined += words[word_idx];
  return joined;
}

std::vector<std::string> Bigrams(const std::string& key) {
  const auto points = CodePoints(key);
  std::vector<std::string> bigrams;
  for (size_t point_idx = 0; point_idx + 1 < points.size(); ++point_idx) {
    bigrams.push_back(points[point_idx] + points[point_idx + 1]);
  }
  return bigrams;
}

/// One name of a candidate in matching form.
struct NameForm {
  std::string chinese_key;
  std::string family;
  std::string given;
  std::vector<std::string> words;
};

std::vector<NameForm> NameForms(const Person& person) {
  std::vector<NameForm> forms;
  auto add = [&](const std::optional<std::string>& chinese, const std::optional<std::string>& family,
                 const std::optional<std::string>& given) {
    NameForm form;
    if (chinese) form.chinese_key = ChineseKey(*chinese);
    if (family) form.family = LatinKey(*family);
    if (given) {
      for (auto& word : LatinWords(*given)) form.given += word;
    }
    if (family) form.words = LatinWords(*family);
    if (given) {
      for (auto& word : LatinWords(*given)) form.words.push_back(word);
    }
    if (!form.chinese_key.empty() || !form.family.empty() || !form.given.empty()) forms.push_back(std::move(form));
  };
  add(person.chinese_name, person.family_name_en, person.given_names_en);
  for (const auto& name : person.names) add(name.chinese_name, name.family_name_en, name.given_names_en);
  return forms;
}

bool Intersects(const std::vector<std::string>& left, const std::vector<std::string>& right) {
  return std::ranges::any_of(left, [&](const auto& item) { return std::ranges::find(right, item) != right.end(); });
}

struct Level {
  int points = 0;
  std::string name;
};

Level ChineseLevel(const MatchQuery& query, const std::vector<NameForm>& forms) {
  Level best;
  auto offer = [&](int points, const char* name) {
    if (points > best.points) best = {points, name};
  };
  for (const auto& term : query.chinese_terms) {
    const auto term_parts = SplitChineseName(term);
    const size_t term_length = CodePoints(term).size();
    for (const auto& form : forms) {
      if (form.chinese_key.empty()) continue;
      if (term == form.chinese_key) {
        offer(30, "exact");
        continue;
      }
      const auto parts = SplitChineseName(form.chinese_key);
      if (term_length >= 2 && term == parts.given) offer(15, "given_name");
      if (term_length >= 2 && form.chinese_key.find(term) != std::string::npos) offer(15, "partial");
      if (term_length >= 2 && term_parts.given == parts.given && !parts.given.empty()) offer(18, "given_name");
      if (CodePoints(form.chinese_key).size() == term_length && JaroWinkler(term, form.chinese_key) >= 0.85) {
        offer(18, "similar");
      }
    }
  }
  return best;
}

Level LatinLevel(const MatchQuery& query, const std::vector<NameForm>& forms) {
  Level best;
  auto offer = [&](int points, const char* name) {
    if (points > best.points) best = {points, name};
  };
  const auto& words = query.latin_words;
  if (words.empty()) return best;
  const size_t count = words.size();
  const std::string all = Join(words, 0, count);
  const std::string after_first = Join(words, 1, count);
  const std::string before_last = count > 1 ? Join(words, 0, count - 1) : std::string();
  const auto first_classes = SurnameClasses(words.front());
  const auto last_classes = SurnameClasses(words.back());
  for (const auto& form : forms) {
    if (form.family.empty() && form.given.empty()) continue;
    const auto classes = form.family.empty() ? std::vector<std::string>{} : SurnameClasses(form.family);
    if (count > 1 && words.front() == form.family && after_first == form.given) offer(25, "exact");
    if (count > 1 && words.back() == form.family && before_last == form.given) offer(22, "swapped_order");
    if (count > 1 && Intersects(first_classes, classes) && after_first == form.given) offer(22, "romanisation");
    if (count > 1 && Intersects(last_classes, classes) && before_last == form.given) offer(20, "romanisation");
    if (count > 1 && Intersects(first_classes, classes) && !form.given.empty() &&
        JaroWinkler(after_first, form.given) >= 0.9) {
      offer(16, "similar");
    }
    if (count > 1 && Intersects(last_classes, classes) && !form.given.empty() &&
        JaroWinkler(before_last, form.given) >= 0.9) {
      offer(14, "similar");
    }
    if (!form.given.empty() && all == form.given)
      offer(form.family.empty() ? 22 : 12, form.family.empty() ? "exact" : "given_name");
    const bool every_word = std::ranges::all_of(words, [&](const std::string& word) {
      return std::ranges::find(form.words, word) != form.words.end() ||
             (!form.given.empty() && form.given.starts_with(word));
    });
    if (every_word) offer(10, "partial");
  }
  return best;
}

}  // namespace

MatchQuery ParseSearchText(std::string_view text) {
  MatchQuery query;
  const std::string normal = NormalizeText(text);
  std::string token;
  auto take = [&] {
    if (token.empty()) return;
    std::string compact;
    bool has_letter = false;
    bool has_digit = false;
    for (char character : token) {
      if (std::isalnum(static_cast<unsigned char>(character))) compact.push_back(character);
      has_letter = has_letter || std::isalpha(static_cast<unsigned char>(character));
      has_digit = has_digit || std::isdigit(static_cast<unsigned char>(character));
    }
    if (HasCjk(token)) {
      const std::string key = ChineseKey(token);
      if (!key.empty()) query.chinese_terms.push_back(key);
    } else if (auto date = ParsePartialDate(token); date && (date->day != 0 || token.size() != 8)) {
      query.birth_date = date;
      if (token.size() == 8) query.phone_keys.push_back(token);
    } else if (GuessDocumentType(token) || (has_letter && has_digit && compact.size() >= 6 && compact.size() <= 20)) {
      std::string upper;
      for (char character : compact)
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(character))));
      query.document_texts.push_back(upper);
    } else if (const std::string digits = PhoneKey(token); digits.size() >= 8 && !has_letter) {
      query.phone_keys.push_back(digits.substr(digits.size() - 8));
    } else {
      for (auto& word : LatinWords(token)) query.latin_words.push_back(word);
    }
    token.clear();
  };
  std::vector<std::string> tokens;
  std::string current;
  for (char character : normal + " ") {
    if (character == ' ' || character == ',' || character == ';') {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(character);
    }
  }
  // A phone number typed in groups ("9123 4567", "0912 345 678") is one token.
  auto digits_only = [](const std::string& text) {
    return !text.empty() &&
           std::ranges::all_of(text, [](char character) { return character >= '0' && character <= '9'; });
  };
  for (size_t token_idx = 0; token_idx < tokens.size(); ++token_idx) {
    token = tokens[token_idx];
    while (digits_only(token) && token.size() < 8 && token_idx + 1 < tokens.size() &&
           digits_only(tokens[token_idx + 1]) && token.size() + tokens[token_idx + 1].size() <= 12) {
      token += tokens[++token_idx];
    }
    if (digits_only(token) && token.size() < 4) {
      token.clear();  // a lone short number is neither a name nor a date
      continue;
    }
    take();
  }
  return query;
}

MatchQuery QueryFromPerson(const Person& person) {
  MatchQuery query;
  auto add_name = [&](const std::optional<std::string>& chinese, const std::optional<std::string>& family,
                      const std::optional<std::string>& given, bool primary) {
    if (chinese) {
      const std::string key = ChineseKey(*chinese);
      if (!key.empty()) query.chinese_terms.push_back(key);
    }
    if (primary) {
      if (family) {
        for (auto& word : LatinWords(*family)) query.latin_words.push_back(word);
      }
      if (given) {
        for (auto& word : LatinWords(*given)) query.latin_words.push_back(word);
      }
      if (family) query.family_en = LatinKey(*family);
      if (given) query.given_en = Join(LatinWords(*given), 0, 64);
    }
  };
  add_name(person.chinese_name, person.family_name_en, person.given_names_en, true);
  for (const auto& name : person.names) add_name(name.chinese_name, name.family_name_en, name.given_names_en, false);
  if (person.birth_date) query.birth_date = ParsePartialDate(*person.birth_date);
  for (const auto& contact : person.contacts) {
    if (contact.phone_key && !contact.phone_key->empty()) query.phone_keys.push_back(*contact.phone_key);
  }
  for (const auto& document : person.documents) query.document_hashes.push_back(document.number_hash);
  for (const auto& address : person.addresses) {
    if (address.district && !query.district) query.district = NormalizeText(*address.district);
  }
  if (person.sex != "unknown") query.sex = person.sex;
  return query;
}

std::vector<long long> PersonSearchKeys(const Person& person) {
  std::set<long long> keys;
  std::set<std::string> classes;
  for (const auto& form : NameForms(person)) {
    if (!form.chinese_key.empty()) {
      keys.insert(KeyHash("c:", form.chinese_key));
      const auto parts = SplitChineseName(form.chinese_key);
      if (!parts.given.empty()) keys.insert(KeyHash("cg:", parts.given));
      if (CodePoints(form.chinese_key).size() >= 3) {
        for (const auto& bigram : Bigrams(form.chinese_key)) keys.insert(KeyHash("cb:", bigram));
      }
      classes.insert(parts.surname);
    }
    if (!form.given.empty()) keys.insert(KeyHash("eg:", form.given));
    if (!form.family.empty()) {
      const auto given_words = form.words.size() > 1
                                   ? std::vector<std::string>(form.words.begin() + 1, form.words.end())
                                   : std::vector<std::string>{};
      for (const auto& surname_class : SurnameClasses(form.family)) {
        classes.insert(surname_class);
        if (!form.given.empty()) keys.insert(KeyHash("e:", surname_class + "|" + form.given));
        if (!given_words.empty()) keys.insert(KeyHash("ef:", surname_class + "|" + given_words.front()));
      }
    }
  }
  if (person.birth_date) {
    for (const auto& surname_class : classes) keys.insert(KeyHash("sd:", surname_class + "|" + *person.birth_date));
  }
  return {keys.begin(), keys.end()};
}

namespace {

/// The search keys of a query and the surname classes it implies.
std::pair<std::set<long long>, std::set<std::string>> QueryKeysAndClasses(const MatchQuery& query) {
  std::set<long long> keys;
  std::set<std::string> classes;
  for (const auto& term : query.chinese_terms) {
    keys.insert(KeyHash("c:", term));
    keys.insert(KeyHash("cg:", term));
    const size_t length = CodePoints(term).size();
    if (length == 2) keys.insert(KeyHash("cb:", term));
    if (length >= 3) {
      for (const auto& bigram : Bigrams(term)) keys.insert(KeyHash("cb:", bigram));
    }
    const auto parts = SplitChineseName(term);
    if (length >= 2 && !parts.given.empty()) keys.insert(KeyHash("cg:", parts.given));
    classes.insert(length == 1 ? term : parts.surname);
  }
  const auto& words = query.latin_words;
  if (!words.empty()) {
    const size_t count = words.size();
    keys.insert(KeyHash("eg:", Join(words, 0, count)));
    if (count > 1) {
      keys.insert(KeyHash("eg:", Join(words, 1, count)));
      keys.insert(KeyHash("eg:", Join(words, 0, count - 1)));
      for (const auto& surname_class : SurnameClasses(words.front())) {
        classes.insert(surname_class);
        keys.insert(KeyHash("e:", surname_class + "|" + Join(words, 1, count)));
        keys.insert(KeyHash("ef:", surname_class + "|" + words[1]));
      }
      for (const auto& surname_class : SurnameClasses(words.back())) {
        classes.insert(surname_class);
        keys.insert(KeyHash("e:", surname_class + "|" + Join(words, 0, count - 1)));
        keys.insert(KeyHash("ef:", surname_class + "|" + words.front()));
      }
    } else {
      for (const auto& surname_class : SurnameClasses(words.front())) classes.insert(surname_class);
    }
    // A Chinese surname typed with an English given name: 陳 Tai Man.
    for (const auto& term : query.chinese_terms) {
      if (CodePoints(term).size() <= 2) keys.insert(KeyHash("e:", term + "|" + Join(words, 0, count)));
    }
  }
  if (query.birth_date) {
    for (const auto& surname_class : classes) {
      keys.insert(KeyHash("sd:", surname_class + "|" + query.birth_date->text));
    }
  }
  return {std::move(keys), std::move(classes)};
}

}  // namespace

std::vector<long long> QuerySearchKeys(const MatchQuery& query) {
  const auto keys = QueryKeysAndClasses(query).first;
  return {keys.begin(), keys.end()};
}

std::vector<long long> QueryNearDateKeys(const MatchQuery& query) {
  std::set<long long> keys;
  if (!query.birth_date) return {};
  const auto near = NearDates(*query.birth_date);
  for (const auto& surname_class : QueryKeysAndClasses(query).second) {
    for (const auto& date : near) keys.insert(KeyHash("sd:", surname_class + "|" + date.text));
  }
  return {keys.begin(), keys.end()};
}

MatchScore ScoreCandidate(const MatchQuery& query, const Person& candidate, bool document_match,
                          std::optional<bool> phone_match) {
  MatchScore result;
  int score = 0;
  if (document_match) {
    score += 60;
    result.document_match = true;
    result.reasons.push_back({"document", "exact"});
  }
  const auto forms = NameForms(candidate);
  const Level chinese = ChineseLevel(query, forms);
  const Level latin = LatinLevel(query, forms);
  score += std::max(chinese.points, latin.points) + (chinese.points > 0 && latin.points > 0 ? 5 : 0);
  if (chinese.points > 0) result.reasons.push_back({"chinese_name", chinese.name});
  if (latin.points > 0) result.reasons.push_back({"english_name", latin.name});

  if (query.birth_date) {
    const auto agreement =
        CompareDates(query.birth_date, candidate.birth_date ? ParsePartialDate(*candidate.birth_date) : std::nullopt);
    switch (agreement) {
    case DateAgreement::kExact:
      score += 25;
      break;
    case DateAgreement::kNear:
      score += 15;
      break;
    case DateAgreement::kCompatible:
      score += 10;
      break;
    case DateAgreement::kSameYear:
      score += 3;
      break;
    case DateAgreement::kDisagree:
      score -= 15;
      break;
    case DateAgreement::kMissing:
      break;
    }
    if (agreement != DateAgreement::kMissing)
      result.reasons.push_back({"birth_date", std::string(ToString(agreement))});
  }
  const bool phone = phone_match.value_or(std::ranges::any_of(candidate.contacts, [&](const PersonContact& contact) {
    return contact.phone_key && std::ranges::find(query.phone_keys, *contact.phone_key) != query.phone_keys.end();
  }));
  if (phone) {
    score += 15;
    result.reasons.push_back({"phone", "exact"});
  }
  if (query.district) {
    const bool district = std::ranges::any_of(candidate.addresses, [&](const PersonAddress& address) {
      return address.district && NormalizeText(*address.district) == *query.district;
    });
    if (district) {
      score += 5;
      result.reasons.push_back({"district", "exact"});
    }
  }
  if (query.sex && candidate.sex != "unknown" && *query.sex != candidate.sex) {
    score -= 10;
    result.reasons.push_back({"sex", "disagree"});
  }
  result.score = std::clamp(score, 0, 100);
  return result;
}

}  // namespace welfare::registry
