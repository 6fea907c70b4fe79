// The synthetic population. Households are generated from their own random stream (seed, household number),
// so an extra record of a person is made by generating that person's household again: only the household
// sizes and the plan of extra records are held in memory, whatever the number of records.
#include "bench/registry/population.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>
#include <opencc/opencc.h>

#include "registry/identity.hpp"
#include "registry/text.hpp"

namespace welfare::bench::population_detail {
namespace {

// ---------------------------------------------------------------------------------------------------------
// Random numbers: splitmix64, with our own distributions so that a seed gives the same file everywhere.

uint64_t Mix(uint64_t value) {
  value ^= value >> 30;
  value *= 0xBF58476D1CE4E5B9ULL;
  value ^= value >> 27;
  value *= 0x94D049BB133111EBULL;
  value ^= value >> 31;
  return value;
}

class Random {
 public:
  explicit Random(uint64_t seed) : state_(Mix(seed ^ 0x5DEECE66DULL)) {}
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix(state_);
  }
  /// 0 … bound-1.
  uint64_t Below(uint64_t bound) { return bound == 0 ? 0 : Next() % bound; }
  /// low … high, both included.
  int Between(int low, int high) { return low + static_cast<int>(Below(static_cast<uint64_t>(high - low + 1))); }
  double Real() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double probability) { return Real() < probability; }
  template <class T>
  const T& Pick(const std::vector<T>& values) {
    return values[Below(values.size())];
  }
  template <class T, size_t kSize>
  const T& Pick(const std::array<T, kSize>& values) {
    return values[Below(kSize)];
  }

 private:
  uint64_t state_;
};

uint64_t StreamSeed(uint64_t seed, uint64_t stream, uint64_t index) {
  return Mix(Mix(seed + 0x632BE59BD9B4E019ULL) ^ Mix(stream * 0x9E3779B97F4A7C15ULL + index));
}

/// Picks an index with probability proportional to its weight.
class WeightedIndex {
 public:
  WeightedIndex() = default;
  explicit WeightedIndex(const std::vector<double>& weights) {
    double total = 0;
    for (const double weight : weights) {
      total += weight;
      cumulative_.push_back(total);
    }
  }
  size_t Pick(Random& random) const {
    const double point = random.Real() * cumulative_.back();
    const auto found = std::ranges::upper_bound(cumulative_, point);
    return std::min(static_cast<size_t>(found - cumulative_.begin()), cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

// ---------------------------------------------------------------------------------------------------------
// Names.

/// One character used in given names: Hong Kong (Cantonese) romanisation, pinyin, and whose names use it.
struct GivenCharacter {
  std::string_view hanzi;
  std::string_view cantonese;
  std::string_view pinyin;
  char sex;  // 'm', 'f' or 'n' (either)
};

// Roughly the most used first within each sex.
constexpr auto kGivenCharacters = std::to_array<GivenCharacter>({
    {"大", "tai", "da", 'm'},       {"小", "siu", "xiao", 'n'},     {"文", "man", "wen", 'n'},
    {"明", "ming", "ming", 'n'},    {"志", "chi", "zhi", 'm'},      {"偉", "wai", "wei", 'm'},
    {"美", "mei", "mei", 'f'},      {"玲", "ling", "ling", 'f'},    {"家", "ka", "jia", 'n'},
    {"嘉", "ka", "jia", 'n'},       {"俊", "chun", "jun", 'm'},     {"傑", "kit", "jie", 'm'},
    {"豪", "ho", "hao", 'm'},       {"強", "keung", "qiang", 'm'},  {"國", "kwok", "guo", 'm'},
    {"華", "wah", "hua", 'n'},      {"榮", "wing", "rong", 'm'},    {"詠", "wing", "yong", 'f'},
    {"欣", "yan", "xin", 'f'},      {"慧", "wai", "hui", 'f'},      {"敏", "man", "min", 'n'},
    {"麗", "lai", "li", 'f'},       {"芳", "fong", "fang", 'f'},    {"雅", "nga", "ya", 'f'},
    {"婷", "ting", "ting", 'f'},    {"怡", "yee", "yi", 'f'},       {"穎", "wing", "ying", 'f'},
    {"琪", "kei", "qi", 'f'},       {"詩", "sze", "shi", 'f'},      {"思", "sze", "si", 'n'},
    {"秀", "sau", "xiu", 'f'},      {"英", "ying", "ying", 'n'},    {"珍", "chun", "zhen", 'f'},
    {"淑", "shuk", "shu", 'f'},     {"君", "kwan", "jun", 'n'},     {"建", "kin", "jian", 'm'},
    {"健", "kin", "jian", 'm'},     {"輝", "fai", "hui", 'm'},      {"德", "tak", "de", 'm'},
    {"仁", "yan", "ren", 'm'},      {"宇", "yu", "yu", 'm'},        {"浩", "ho", "hao", 'm'},
    {"子", "tsz", "zi", 'n'},       {"軒", "hin", "xuan", 'm'},     {"晴", "ching", "qing", 'f'},
    {"心", "sum", "xin", 'f'},      {"婉", "yuen", "wan", 'f'},     {"玉", "yuk", "yu", 'f'},
    {"蘭", "lan", "lan", 'f'},      {"鳳", "fung", "feng", 'f'},    {"雲", "wan", "yun", 'f'},
    {"月", "yuet", "yue", 'f'},     {"珠", "chu", "zhu", 'f'},      {"寶", "po", "bao", 'n'},
    {"金", "kam", "jin", 'n'},      {"銀", "ngan", "yin", 'f'},     {"安", "on", "an", 'n'},
    {"平", "ping", "ping", 'n'},    {"康", "hong", "kang", 'm'},    {"成", "shing", "cheng", 'm'},
    {"立", "lap", "li", 'm'},       {"新", "san", "xin", 'm'},      {"民", "man", "min", 'm'},
    {"生", "sang", "sheng", 'm'},   {"發", "fat", "fa", 'm'},       {"財", "choi", "cai", 'm'},
    {"富", "fu", "fu", 'm'},        {"貴", "kwai", "gui", 'm'},     {"福", "fuk", "fu", 'm'},
    {"祥", "cheung", "xiang", 'm'}, {"瑞", "shui", "rui", 'n'},     {"天", "tin", "tian", 'm'},
    {"海", "hoi", "hai", 'm'},      {"山", "shan", "shan", 'm'},    {"森", "sum", "sen", 'm'},
    {"永", "wing", "yong", 'm'},    {"長", "cheung", "chang", 'm'}, {"春", "chun", "chun", 'n'},
    {"秋", "chau", "qiu", 'n'},     {"東", "tung", "dong", 'm'},    {"南", "nam", "nan", 'm'},
    {"中", "chung", "zhong", 'm'},  {"正", "ching", "zheng", 'm'},  {"光", "kwong", "guang", 'm'},
    {"亮", "leung", "liang", 'm'},  {"耀", "yiu", "yao", 'm'},      {"宏", "wang", "hong", 'm'},
    {"鴻", "hung", "hong", 'm'},    {"朗", "long", "lang", 'm'},    {"然", "yin", "ran", 'm'},
    {"峰", "fung", "feng", 'm'},    {"達", "tat", "da", 'm'},       {"勇", "yung", "yong", 'm'},
    {"樂", "lok", "le", 'n'},       {"昌", "cheong", "chang", 'm'}, {"盛", "shing", "sheng", 'm'},
    {"興", "hing", "xing", 'm'},    {"順", "shun", "shun", 'm'},    {"添", "tim", "tian", 'm'},
    {"培", "pui", "pei", 'm'},      {"錦", "kam", "jin", 'n'},      {"振", "chun", "zhen", 'm'},
    {"漢", "hon", "han", 'm'},      {"威", "wai", "wei", 'm'},      {"維", "wai", "wei", 'm'},
    {"雄", "hung", "xiong", 'm'},   {"傳", "chuen", "chuan", 'm'},  {"泉", "chuen", "quan", 'm'},
    {"源", "yuen", "yuan", 'm'},    {"遠", "yuen", "yuan", 'm'},    {"娟", "kuen", "juan", 'f'},
    {"燕", "yin", "yan", 'f'},      {"霞", "ha", "xia", 'f'},       {"萍", "ping", "ping", 'f'},
    {"琳", "lam", "lin", 'f'},      {"彤", "tung", "tong", 'f'},    {"潔", "kit", "jie", 'f'},
    {"儀", "yee", "yi", 'f'},       {"芬", "fan", "fen", 'f'},      {"妹", "mui", "mei", 'f'},
    {"娣", "tai", "di", 'f'},       {"好", "ho", "hao", 'f'},       {"愛", "oi", "ai", 'f'},
    {"蓮", "lin", "lian", 'f'},     {"梅", "mui", "mei", 'f'},      {"菊", "kuk", "ju", 'f'},
    {"桂", "kwai", "gui", 'n'},     {"翠", "chui", "cui", 'f'},     {"碧", "pik", "bi", 'f'},
    {"惠", "wai", "hui", 'f'},      {"嫻", "han", "xian", 'f'},     {"靜", "ching", "jing", 'f'},
    {"倩", "sin", "qian", 'f'},     {"薇", "mei", "wei", 'f'},      {"茵", "yan", "yin", 'f'},
    {"瑩", "ying", "ying", 'f'},    {"瑜", "yu", "yu", 'f'},        {"瑤", "yiu", "yao", 'f'},
    {"珊", "shan", "shan", 'f'},    {"璇", "suen", "xuan", 'f'},    {"曉", "hiu", "xiao", 'n'},
    {"綺", "yee", "qi", 'f'},       {"凱", "hoi", "kai", 'n'},      {"晞", "hei", "xi", 'f'},
    {"希", "hei", "xi", 'n'},       {"悅", "yuet", "yue", 'f'},     {"佩", "pui", "pei", 'f'},
    {"佳", "kai", "jia", 'f'},      {"宜", "yee", "yi", 'f'},       {"青", "ching", "qing", 'n'},
    {"清", "ching", "qing", 'n'},   {"蕙", "wai", "hui", 'f'},      {"宗", "chung", "zong", 'm'},
    {"翰", "hon", "han", 'm'},      {"冠", "kwun", "guan", 'm'},    {"廷", "ting", "ting", 'm'},
    {"柏", "pak", "bo", 'm'},       {"承", "shing", "cheng", 'm'},  {"恩", "yan", "en", 'n'},
    {"哲", "chit", "zhe", 'm'},     {"庭", "ting", "ting", 'n'},    {"郁", "yuk", "yu", 'f'},
    {"筱", "siu", "xiao", 'f'},     {"涵", "ham", "han", 'f'},      {"姿", "chi", "zi", 'f'},
    {"妤", "yu", "yu", 'f'},        {"琦", "kei", "qi", 'f'},       {"昱", "yuk", "yu", 'm'},
    {"瑋", "wai", "wei", 'n'},      {"祐", "yau", "you", 'm'},      {"彥", "yin", "yan", 'm'},
    {"品", "bun", "pin", 'n'},      {"均", "kwan", "jun", 'n'},     {"育", "yuk", "yu", 'm'},
    {"聖", "shing", "sheng", 'm'},  {"慶", "hing", "qing", 'm'},    {"蓉", "yung", "rong", 'f'},
    {"玟", "man", "wen", 'f'},      {"雯", "man", "wen", 'f'},      {"昭", "chiu", "zhao", 'n'},
    {"香", "heung", "xiang", 'f'},  {"炳", "ping", "bing", 'm'},    {"根", "kan", "gen", 'm'},
    {"林", "lam", "lin", 'n'},      {"水", "shui", "shui", 'm'},    {"坤", "kwan", "kun", 'm'},
    {"權", "kuen", "quan", 'm'},    {"標", "piu", "biao", 'm'},     {"倫", "lun", "lun", 'm'},
    {"基", "ki", "ji", 'm'},        {"麟", "lun", "lin", 'm'},      {"駿", "chun", "jun", 'm'},
    {"晉", "chun", "jin", 'm'},     {"滿", "mun", "man", 'n'},      {"全", "chuen", "quan", 'm'},
    {"松", "chung", "song", 'm'},   {"柱", "chu", "zhu", 'm'},      {"棠", "tong", "tang", 'm'},
    {"堂", "tong", "tang", 'm'},    {"超", "chiu", "chao", 'm'},    {"星", "sing", "xing", 'n'},
    {"泰", "tai", "tai", 'm'},      {"啟", "kai", "qi", 'm'},       {"顯", "hin", "xian", 'm'},
    {"彬", "pan", "bin", 'm'},      {"斌", "pan", "bin", 'm'},      {"卓", "cheuk", "zhuo", 'n'},
    {"銘", "ming", "ming", 'm'},    {"鳴", "ming", "ming", 'm'},    {"敬", "king", "jing", 'm'},
    {"景", "king", "jing", 'm'},    {"毅", "ngai", "yi", 'm'},      {"霖", "lam", "lin", 'n'},
    {"熙", "hei", "xi", 'n'},       {"諾", "lok", "nuo", 'n'},      {"鈞", "kwan", "jun", 'm'},
    {"聰", "chung", "cong", 'm'},   {"潤", "yun", "run", 'm'},      {"澤", "chak", "ze", 'm'},
    {"洋", "yeung", "yang", 'm'},   {"濤", "to", "tao", 'm'},       {"浚", "chun", "jun", 'm'},
    {"賢", "yin", "xian", 'n'},     {"廣", "kwong", "guang", 'm'},  {"鎮", "chun", "zhen", 'm'},
    {"銓", "chuen", "quan", 'm'},   {"仲", "chung", "zhong", 'm'},  {"伯", "pak", "bo", 'm'},
    {"少", "siu", "shao", 'n'},     {"樹", "shu", "shu", 'm'},      {"進", "chun", "jin", 'm'},
    {"祖", "cho", "zu", 'm'},       {"紹", "siu", "shao", 'm'},     {"銳", "yui", "rui", 'm'},
    {"晨", "san", "chen", 'n'},     {"曦", "hei", "xi", 'f'},       {"皓", "ho", "hao", 'm'},
    {"謙", "him", "qian", 'm'},     {"逸", "yat", "yi", 'n'},       {"梓", "tsz", "zi", 'n'},
    {"峻", "chun", "jun", 'm'},     {"政", "ching", "zheng", 'm'},  {"忠", "chung", "zhong", 'm'},
    {"信", "shun", "xin", 'm'},     {"義", "yee", "yi", 'm'},       {"禮", "lai", "li", 'm'},
    {"智", "chi", "zhi", 'm'},      {"孝", "hau", "xiao", 'm'},     {"珮", "pui", "pei", 'f'},
    {"蔚", "wai", "wei", 'f'},      {"芷", "tsz", "zhi", 'f'},      {"若", "yeuk", "ruo", 'f'},
    {"雪", "suet", "xue", 'f'},     {"冰", "ping", "bing", 'f'},    {"紫", "tsz", "zi", 'f'},
    {"紅", "hung", "hong", 'f'},    {"彩", "choi", "cai", 'f'},     {"慈", "chi", "ci", 'f'},
    {"鈺", "yuk", "yu", 'f'},       {"貞", "ching", "zhen", 'f'},   {"嬌", "kiu", "jiao", 'f'},
    {"妙", "miu", "miao", 'f'},     {"娥", "ngo", "e", 'f'},        {"嫦", "sheung", "chang", 'f'},
    {"嬋", "shim", "chan", 'f'},    {"艷", "yim", "yan", 'f'},      {"環", "wan", "huan", 'f'},
    {"瓊", "king", "qiong", 'f'},   {"蓓", "pui", "bei", 'f'},      {"蕾", "lui", "lei", 'f'},
    {"莉", "lei", "li", 'f'},       {"芯", "sum", "xin", 'f'},      {"婧", "ching", "jing", 'f'},
    {"妍", "yin", "yan", 'f'},      {"姍", "shan", "shan", 'f'},    {"虹", "hung", "hong", 'f'},
    {"韻", "wan", "yun", 'f'},      {"音", "yam", "yin", 'f'},      {"琴", "kam", "qin", 'f'},
    {"芝", "chi", "zhi", 'f'},      {"蘊", "wan", "yun", 'f'},      {"淇", "kei", "qi", 'f'},
    {"沛", "pui", "pei", 'n'},      {"泳", "wing", "yong", 'f'},    {"澄", "ching", "cheng", 'n'},
    {"瀅", "ying", "ying", 'f'},    {"漪", "yee", "yi", 'f'},       {"鈴", "ling", "ling", 'f'},
    {"齡", "ling", "ling", 'f'},    {"苓", "ling", "ling", 'f'},    {"汶", "man", "wen", 'n'},
    {"旻", "man", "min", 'n'},      {"閔", "man", "min", 'n'},      {"銘", "ming", "ming", 'm'},
    {"茗", "ming", "ming", 'f'},    {"煒", "wai", "wei", 'm'},      {"暉", "fai", "hui", 'm'},
    {"慧", "wai", "hui", 'f'},      {"頴", "wing", "ying", 'f'},    {"琛", "sum", "chen", 'n'},
    {"深", "sum", "shen", 'm'},     {"燊", "sun", "shen", 'm'},     {"俐", "lei", "li", 'f'},
    {"儷", "lai", "li", 'f'},       {"麒", "kei", "qi", 'm'},       {"祺", "kei", "qi", 'n'},
    {"淳", "shun", "chun", 'n'},    {"純", "shun", "chun", 'f'},    {"芊", "chin", "qian", 'f'},
    {"茜", "sin", "qian", 'f'},     {"蒨", "sin", "qian", 'f'},     {"晴", "ching", "qing", 'f'},
    {"菁", "ching", "jing", 'f'},   {"精", "ching", "jing", 'm'},   {"偲", "sze", "si", 'f'},
    {"絲", "sze", "si", 'f'},       {"斯", "sze", "si", 'n'},       {"鋒", "fung", "feng", 'm'},
    {"豐", "fung", "feng", 'm'},    {"楓", "fung", "feng", 'n'},    {"凱", "hoi", "kai", 'n'},
    {"愷", "hoi", "kai", 'n'},      {"鎧", "hoi", "kai", 'm'},      {"昇", "sing", "sheng", 'm'},
    {"陞", "sing", "sheng", 'm'},   {"勝", "sing", "sheng", 'm'},
});

/// Given names that are far more common than their characters alone would make them.
constexpr auto kPopularFemaleNames = std::to_array<std::string_view>({
    "美玲", "淑芬", "麗華", "秀英", "美華", "玉蘭", "月娥", "鳳儀", "詠詩", "嘉欣", "雅婷", "怡君",
    "詩婷", "佩珊", "曉彤", "穎欣", "慧敏", "淑儀", "麗珍", "美儀", "婉婷", "思穎", "芷晴", "心怡",
    "家慧", "嘉敏", "詩敏", "雅雯", "惠玲", "淑惠", "美惠", "秀琴", "麗娟", "佳穎", "欣怡", "佩君",
    "雅琪", "靜怡", "金好", "玉珍", "秀珍", "美珠", "寶珠", "少芬", "碧霞", "桂芳", "鳳英", "婉儀",
});
constexpr auto kPopularMaleNames = std::to_array<std::string_view>({
    "志明", "家豪", "俊傑", "志偉", "國強", "偉強", "建華", "文輝", "家俊", "子軒", "浩然", "志強",
    "俊明", "國華", "德明", "永強", "嘉豪", "家明", "偉明", "冠宇", "承恩", "宗翰", "柏翰", "冠廷",
    "彥廷", "建宏", "志豪", "俊宏", "家瑋", "信宏", "文傑", "耀明", "振華", "錦榮", "國榮", "漢明",
    "炳坤", "金水", "大文", "小明", "志華", "偉文", "國明", "建明", "家樂", "俊賢", "子朗", "浩賢",
});

constexpr auto kEnglishMaleNames = std::to_array<std::string_view>({
    "Peter",  "David",   "John",   "Michael", "Eric",   "Kenneth", "Raymond", "Tony",    "Alan",    "Patrick",
    "Kelvin", "Jason",   "Wilson", "Ken",     "Ivan",   "Derek",   "Samuel",  "Vincent", "Terence", "Calvin",
    "Edmond", "Stanley", "Gary",   "Louis",   "Wing",   "Alex",    "Andy",    "Benny",   "Chris",   "Danny",
    "Eddie",  "Frankie", "Henry",  "Jacky",   "Johnny", "Kevin",   "Leo",     "Matthew", "Nelson",  "Oscar",
});
constexpr auto kEnglishFemaleNames = std::to_array<std::string_view>({
    "Mary",   "Carol",   "Helen",  "Winnie", "Karen", "Cindy",  "Jenny", "Joyce",   "Amy",    "Queenie",
    "Ivy",    "Crystal", "Cherry", "Sandy",  "Fiona", "Gloria", "Grace", "Angel",   "Vivian", "Candy",
    "Alice",  "Bonnie",  "Connie", "Doris",  "Eva",   "Fanny",  "Iris",  "Jessica", "Kitty",  "Lily",
    "Maggie", "Nancy",   "Peggy",  "Rita",   "Sally", "Tracy",  "Venus", "Wendy",   "Yvonne", "Zoe",
});

/// Surnames most common in Taiwan, which the generator puts first for Hualien households.
constexpr auto kTaiwanTopSurnames =
    std::to_array<std::string_view>({"陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊",
                                     "許", "鄭", "謝", "郭", "洪", "曾", "邱", "廖", "賴", "周"});

// ---------------------------------------------------------------------------------------------------------
// Places.

const std::vector<District>& HongKongDistrictList() {
  static const std::vector<District> districts = {
      {"中西區", "Central and Western", 3.2},
      {"灣仔區", "Wan Chai", 2.4},
      {"東區", "Eastern", 7.3},
      {"南區", "Southern", 3.6},
      {"油尖旺區", "Yau Tsim Mong", 4.3},
      {"深水埗區", "Sham Shui Po", 5.7},
      {"九龍城區", "Kowloon City", 5.3},
      {"黃大仙區", "Wong Tai Sin", 5.7},
      {"觀塘區", "Kwun Tong", 9.5},
      {"葵青區", "Kwai Tsing", 6.6},
      {"荃灣區", "Tsuen Wan", 4.2},
      {"屯門區", "Tuen Mun", 6.8},
      {"元朗區", "Yuen Long", 9.9},
      {"北區", "North", 4.2},
      {"大埔區", "Tai Po", 4.0},
      {"沙田區", "Sha Tin", 9.3},
      {"西貢區", "Sai Kung", 6.3},
      {"離島區", "Islands", 2.5},
  };
  return districts;
}

const std::vector<District>& HualienTownshipList() {
  static const std::vector<District> townships = {
      {"花蓮市", "Hualien City", 32.0}, {"鳳林鎮", "Fenglin", 3.5}, {"玉里鎮", "Yuli", 7.5},
      {"新城鄉", "Xincheng", 6.0},      {"吉安鄉", "Ji'an", 25.0},  {"壽豐鄉", "Shoufeng", 5.5},
      {"光復鄉", "Guangfu", 4.0},       {"豐濱鄉", "Fengbin", 1.5}, {"瑞穗鄉", "Ruisui", 3.5},
      {"富里鄉", "Fuli", 3.0},          {"秀林鄉", "Xiulin", 4.8},  {"萬榮鄉", "Wanrong", 2.0},
      {"卓溪鄉", "Zhuoxi", 1.8},
  };
  return townships;
}

constexpr auto kHongKongStreets = std::to_array<std::string_view>({
    "Nathan Road",          "King's Road",           "Castle Peak Road",        "Hennessy Road",
    "Queen's Road Central", "Des Voeux Road West",   "Prince Edward Road West", "Argyle Street",
    "Shanghai Street",      "Tai Po Road",           "Ngau Tau Kok Road",       "Kwun Tong Road",
    "Lung Cheung Road",     "Sha Tin Centre Street", "Heung Sze Wui Road",      "Yuen Long Main Road",
    "Sha Tsui Road",        "Kwai Chung Road",       "Po Kong Village Road",    "Shau Kei Wan Road",
    "Electric Road",        "Aberdeen Main Road",    "Fa Yuen Street",          "Tung Choi Street",
    "Reclamation Street",   "Cheung Sha Wan Road",   "Lai Chi Kok Road",        "Fuk Wing Street",
    "Tsat Tsz Mui Road",    "San Hong Street",
});
constexpr auto kHongKongEstates = std::to_array<std::string_view>({
    "Lok Fu Estate",    "Choi Hung Estate",   "Wah Fu Estate",   "Sau Mau Ping Estate", "Shek Kip Mei Estate",
    "Tai Hing Estate",  "Cheung Hong Estate", "Lek Yuen Estate", "Tin Shui Estate",     "Kwai Fong Estate",
    "Ping Shek Estate", "Oi Man Estate",      "So Uk Estate",    "Mei Foo Sun Chuen",   "Taikoo Shing",
    "City One Shatin",  "Whampoa Garden",     "Kornhill",        "Heng Fa Chuen",       "Laguna City",
    "Amoy Gardens",     "Fu Shin Estate",     "Tin Yiu Estate",  "Shun Lee Estate",
});
constexpr auto kTaiwanStreets = std::to_array<std::string_view>({
    "中山路", "中正路", "中華路", "國聯一路", "府前路", "林森路", "建國路", "民權路", "自由街", "和平路",
    "光復街", "明禮路", "節約街", "博愛街",   "仁愛街", "信義街", "南京街", "忠孝街", "成功街", "復興路",
});
constexpr auto kTaiwanSections = std::to_array<std::string_view>({"", "一段", "二段", "三段"});

// ---------------------------------------------------------------------------------------------------------
// Lookup tables built once.

struct Tables {
  std::vector<GivenCharacter> characters;
  std::map<std::string, int, std::less<>> character_index;
  std::vector<int> male_characters;    // indexes usable in men's names
  std::vector<int> female_characters;  // indexes usable in women's names
  WeightedIndex male_character_pick;
  WeightedIndex female_character_pick;
  std::vector<std::array<int, 2>> popular_male;
  std::vector<std::array<int, 2>> popular_female;
  WeightedIndex popular_male_pick;
  WeightedIndex popular_female_pick;
  std::vector<std::vector<int>> cantonese_homophones;  // per character
  std::vector<std::vector<int>> pinyin_homophones;     // per character
  WeightedIndex hong_kong_surnames;
  WeightedIndex taiwan_surnames;
  std::vector<std::string> taiwan_surname_spelling;  // per KnownSurnames() entry
  WeightedIndex hong_kong_district_pick;
  WeightedIndex hualien_township_pick;
  std::unique_ptr<opencc::SimpleConverter> to_simplified;
};

std::array<int, 2> ParsePopularName(std::string_view name, const Tables& tables) {
  std::array<int, 2> indexes{-1, -1};
  const auto points = welfare::registry::CodePoints(name);
  if (points.size() != 2) throw std::logic_error(fmt::format("popular name {} is not two characters", name));
  for (size_t point_idx = 0; point_idx < 2; ++point_idx) {
    const auto found = tables.character_index.find(points[point_idx]);
    if (found == tables.character_index.end()) {
      throw std::logic_error(
          fmt::format("popular name {} uses {}, which is not in the table", name, points[point_idx]));
    }
    indexes[point_idx] = found->second;
  }
  return indexes;
}

std::vector<double> ZipfWeights(size_t count, double offset, double exponent) {
  std::vector<double> weights;
  for (size_t rank = 0; rank < count; ++rank)
    weights.push_back(std::pow(static_cast<double>(rank) + offset, -exponent));
  return weights;
}

std::vector<double> DistrictWeights(const std::vector<District>& districts) {
  std::vector<double> weights;
  for (const District& district : districts) weights.push_back(district.weight);
  return weights;
}

const Tables& GetTables() {
  static const Tables tables = [] {
    Tables built;
    for (const GivenCharacter& character : kGivenCharacters) {
      if (built.character_index.contains(std::string(character.hanzi))) continue;  // first spelling wins
      built.character_index.emplace(std::string(character.hanzi), static_cast<int>(built.characters.size()));
      built.characters.push_back(character);
    }
    for (int char_idx = 0; char_idx < static_cast<int>(built.characters.size()); ++char_idx) {
      const char sex = built.characters[static_cast<size_t>(char_idx)].sex;
      if (sex != 'f') built.male_characters.push_back(char_idx);
      if (sex != 'm') built.female_characters.push_back(char_idx);
    }
    built.male_character_pick = WeightedIndex(ZipfWeights(built.male_characters.size(), 3.0, 0.6));
    built.female_character_pick = WeightedIndex(ZipfWeights(built.female_characters.size(), 3.0, 0.6));
    for (const auto name : kPopularMaleNames) built.popular_male.push_back(ParsePopularName(name, built));
    for (const auto name : kPopularFemaleNames) built.popular_female.push_back(ParsePopularName(name, built));
    built.popular_male_pick = WeightedIndex(ZipfWeights(kPopularMaleNames.size(), 2.0, 0.8));
    built.popular_female_pick = WeightedIndex(ZipfWeights(kPopularFemaleNames.size(), 2.0, 0.8));
    built.cantonese_homophones.resize(built.characters.size());
    built.pinyin_homophones.resize(built.characters.size());
    for (size_t left = 0; left < built.characters.size(); ++left) {
      for (size_t right = 0; right < built.characters.size(); ++right) {
        if (left == right) continue;
        if (built.characters[left].cantonese == built.characters[right].cantonese) {
          built.cantonese_homophones[left].push_back(static_cast<int>(right));
        }
        if (built.characters[left].pinyin == built.characters[right].pinyin) {
          built.pinyin_homophones[left].push_back(static_cast<int>(right));
        }
      }
    }
    const auto& surnames = welfare::registry::KnownSurnames();
    built.hong_kong_surnames = WeightedIndex(ZipfWeights(surnames.size(), 2.0, 0.95));
    std::vector<size_t> taiwan_order;
    for (const auto top : kTaiwanTopSurnames) {
      for (size_t surname_idx = 0; surname_idx < surnames.size(); ++surname_idx) {
        if (surnames[surname_idx].traditional == top) taiwan_order.push_back(surname_idx);
      }
    }
    for (size_t surname_idx = 0; surname_idx < surnames.size(); ++surname_idx) {
      if (std::ranges::find(taiwan_order, surname_idx) == taiwan_order.end()) taiwan_order.push_back(surname_idx);
    }
    const auto rank_weights = ZipfWeights(surnames.size(), 2.0, 0.95);
    std::vector<double> taiwan_weights(surnames.size(), 0.0);
    for (size_t rank = 0; rank < taiwan_order.size(); ++rank) taiwan_weights[taiwan_order[rank]] = rank_weights[rank];
    built.taiwan_surnames = WeightedIndex(taiwan_weights);
    for (const auto& surname : surnames) {
      const std::string_view pinyin =
          surname.romanisations.size() > 1 ? surname.romanisations[1] : surname.romanisations[0];
      const std::string wade_giles = WadeGiles(pinyin);
      const bool known =
          std::ranges::find(surname.romanisations, std::string_view(wade_giles)) != surname.romanisations.end();
      built.taiwan_surname_spelling.push_back(known ? wade_giles : std::string(pinyin));
    }
    built.hong_kong_district_pick = WeightedIndex(DistrictWeights(HongKongDistrictList()));
    built.hualien_township_pick = WeightedIndex(DistrictWeights(HualienTownshipList()));
    built.to_simplified = std::make_unique<opencc::SimpleConverter>("t2s.json");
    return built;
  }();
  return tables;
}

// ---------------------------------------------------------------------------------------------------------
// People and households (the facts, before anyone records them).

using Days = std::chrono::sys_days;
constexpr std::chrono::year_month_day kReferenceDate{std::chrono::year{2024}, std::chrono::June, std::chrono::day{30}};

enum class Sex : uint8_t { kMale, kFemale };
enum class Role : uint8_t { kHead, kSpouse, kChild, kParent, kSibling, kOther };

std::string_view RoleName(Role role) {
  switch (role) {
  case Role::kHead:
    return "head";
  case Role::kSpouse:
    return "spouse";
  case Role::kChild:
    return "child";
  case Role::kParent:
    return "parent";
  case Role::kSibling:
    return "sibling";
  case Role::kOther:
    return "other";
  }
  return "other";
}

struct Person {
  long long person_idx = 0;
  Role role = Role::kHead;
  Sex sex = Sex::kMale;
  size_t surname = 0;
  std::array<int, 2> given{-1, -1};
  int given_count = 0;
  Days birth;
  bool birth_estimated = false;
  bool has_death = false;
  Days death;
  std::string id_type;
  std::string id_number;  // canonical
  std::string id_issuer;
  std::string contact_phone;  // digits; may be a landline or another member's mobile
  std::string email;
  std::string english_alias;
  std::string chinese_nickname;
  std::vector<std::string> languages;
  bool english_name_known = true;
};

struct Household {
  long long household_idx = 0;
  bool hong_kong = true;
  size_t district = 0;
  std::string street;
  std::string building;
  std::string landline;
  std::vector<Person> members;
};

enum class Shape : uint8_t {
  kSingleElderly,
  kSingleAdult,
  kElderlyCouple,
  kCouple,
  kCoupleWithChildren,
  kSingleParent,
  kThreeGenerations,
  kSiblings,
};

struct HouseholdPlan {
  Shape shape = Shape::kSingleAdult;
  int children = 0;
  int grandparents = 0;
  [[nodiscard]] int Size() const {
    switch (shape) {
    case Shape::kSingleElderly:
    case Shape::kSingleAdult:
      return 1;
    case Shape::kElderlyCouple:
    case Shape::kCouple:
    case Shape::kSiblings:
      return 2;
    case Shape::kCoupleWithChildren:
      return 2 + children;
    case Shape::kSingleParent:
      return 1 + children;
    case Shape::kThreeGenerations:
      return 2 + children + grandparents;
    }
    return 1;
  }
};

/// The first draws of a household's stream: its shape. The size pre-pass and the full generation share it.
HouseholdPlan PlanHousehold(Random& random) {
  static const WeightedIndex shapes({0.12, 0.12, 0.10, 0.10, 0.35, 0.07, 0.11, 0.03});
  HouseholdPlan plan;
  plan.shape = static_cast<Shape>(shapes.Pick(random));
  const double draw = random.Real();
  if (plan.shape == Shape::kCoupleWithChildren) plan.children = draw < 0.40 ? 1 : (draw < 0.85 ? 2 : 3);
  if (plan.shape == Shape::kSingleParent) plan.children = draw < 0.6 ? 1 : 2;
  if (plan.shape == Shape::kThreeGenerations) {
    plan.children = draw < 0.5 ? 1 : 2;
    plan.grandparents = random.Chance(0.55) ? 1 : 2;
  }
  return plan;
}

int ElderlyAge(Random& random) {
  // 65–100, fewer at each older age.
  static const WeightedIndex ages = [] {
    std::vector<double> weights;
    for (int age = 65; age <= 100; ++age) weights.push_back(std::exp(-(age - 65) / 9.0));
    return WeightedIndex(weights);
  }();
  return 65 + static_cast<int>(ages.Pick(random));
}

Days BirthForAge(Random& random, int age) {
  const auto years_back = std::chrono::year_month_day{kReferenceDate.year() - std::chrono::years{age},
                                                      kReferenceDate.month(), kReferenceDate.day()};
  return Days{years_back} - std::chrono::days{random.Between(0, 364)};
}

int AgeOf(Days birth) {
  const std::chrono::year_month_day date{birth};
  int age = static_cast<int>(kReferenceDate.year()) - static_cast<int>(date.year());
  if (std::chrono::month_day{date.month(), date.day()} >
      std::chrono::month_day{kReferenceDate.month(), kReferenceDate.day()}) {
    --age;
  }
  return age;
}

std::string Digits(Random& random, int count) {
  std::string out;
  for (int digit_idx = 0; digit_idx < count; ++digit_idx) out.push_back(static_cast<char>('0' + random.Below(10)));
  return out;
}

std::string HongKongMobile(Random& random) {
  const double draw = random.Real();
  const char first = draw < 0.5 ? '9' : (draw < 0.85 ? '6' : '5');
  return std::string(1, first) + Digits(random, 7);
}

std::string TaiwanMobile(Random& random) { return "09" + Digits(random, 8); }

/// A permutation of 0 … space-1 (a balanced Feistel network on 26 bits, walked until the value falls inside),
/// so that people get unique document numbers that do not follow their order in the file.
uint64_t Permute(uint64_t value, uint64_t space, uint64_t seed) {
  constexpr int kHalfBits = 13;
  constexpr uint64_t kHalfMask = (1ULL << kHalfBits) - 1;
  do {
    uint64_t left = value >> kHalfBits;
    uint64_t right = value & kHalfMask;
    for (uint64_t round = 0; round < 4; ++round) {
      const uint64_t next = left ^ (Mix(right ^ Mix(seed + round)) & kHalfMask);
      left = right;
      right = next;
    }
    value = (left << kHalfBits) | right;
  } while (value >= space);
  return value;
}

std::string HongKongIdentity(uint64_t seed, long long person_idx) {
  // 15 one-letter prefixes and the two-letter XA, 1,000,000 numbers each.
  static constexpr std::string_view kLetters = "ABCDEGHKMPRSVYZ";
  const uint64_t value = Permute(static_cast<uint64_t>(person_idx), 16'000'000, seed);
  const uint64_t block = value / 1'000'000;
  const std::string prefix = block < kLetters.size() ? std::string(1, kLetters[block]) : std::string("XA");
  const std::string body = prefix + fmt::format("{:06d}", value % 1'000'000);
  return body + welfare::registry::HkidCheckDigit(body);
}

std::string TaiwanIdentity(uint64_t seed, long long person_idx, Sex sex) {
  // Mostly Hualien (U); some people were registered in Taipei (A), New Taipei (F) or Kaohsiung (E).
  const uint64_t value = Permute(static_cast<uint64_t>(person_idx), 14'000'000, seed + 1);
  char letter = 'U';
  uint64_t number = value;
  if (value >= 10'000'000) {
    const uint64_t rest = value - 10'000'000;
    letter = std::string_view("AFE")[rest / 1'333'334];
    number = rest % 1'333'334;
  }
  const std::string first_nine =
      std::string(1, letter) + (sex == Sex::kMale ? "1" : "2") + fmt::format("{:07d}", number);
  return first_nine + welfare::registry::TwidCheckDigit(first_nine);
}

std::string Capitalised(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string Upper(std::string_view word) {
  std::string out(word);
  for (char& character : out) {
    if (character >= 'a' && character <= 'z') character = static_cast<char>(character - 'a' + 'A');
  }
  return out;
}

std::string Lower(std::string_view word) {
  std::string out(word);
  for (char& character : out) {
    if (character >= 'A' && character <= 'Z') character = static_cast<char>(character - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> GivenSyllables(const Person& person, bool hong_kong) {
  const Tables& tables = GetTables();
  std::vector<std::string> syllables;
  for (int given_idx = 0; given_idx < person.given_count; ++given_idx) {
    const GivenCharacter& character = tables.characters[static_cast<size_t>(person.given[given_idx])];
    syllables.push_back(hong_kong ? std::string(character.cantonese) : WadeGiles(character.pinyin));
  }
  return syllables;
}

std::string FamilySpelling(const Person& person, bool hong_kong) {
  const auto& surname = welfare::registry::KnownSurnames()[person.surname];
  return hong_kong ? std::string(surname.romanisations[0]) : GetTables().taiwan_surname_spelling[person.surname];
}

std::string ChineseName(const Person& person) {
  const Tables& tables = GetTables();
  std::string name(welfare::registry::KnownSurnames()[person.surname].traditional);
  for (int given_idx = 0; given_idx < person.given_count; ++given_idx) {
    name += tables.characters[static_cast<size_t>(person.given[given_idx])].hanzi;
  }
  return name;
}

void ChooseGivenName(Random& random, Person& person, const Person* avoid) {
  const Tables& tables = GetTables();
  const bool male = person.sex == Sex::kMale;
  for (int attempt = 0; attempt < 4; ++attempt) {
    if (random.Chance(0.35)) {
      const auto& popular = male ? tables.popular_male : tables.popular_female;
      const auto pick = popular[(male ? tables.popular_male_pick : tables.popular_female_pick).Pick(random)];
      person.given = pick;
      person.given_count = 2;
    } else {
      const auto& characters = male ? tables.male_characters : tables.female_characters;
      const auto& pick = male ? tables.male_character_pick : tables.female_character_pick;
      person.given_count = random.Chance(0.10) ? 1 : 2;
      person.given[0] = characters[pick.Pick(random)];
      person.given[1] = characters[pick.Pick(random)];
      if (person.given_count == 2 && person.given[0] == person.given[1] && random.Chance(0.8)) continue;
    }
    if (avoid == nullptr || avoid->given != person.given) return;  // siblings do not share a given name
  }
}

void ChooseLanguages(Random& random, Person& person, bool hong_kong, int age) {
  person.languages.clear();
  if (hong_kong) {
    if (random.Chance(0.08)) {
      person.languages = {"zh", "yue"};
    } else {
      person.languages = {"yue"};
    }
    if (age >= 10 && age < 65 && random.Chance(0.5)) person.languages.emplace_back("en");
    return;
  }
  person.languages = {"zh"};
  const double draw = random.Real();
  if (draw < 0.10) {
    person.languages.emplace_back("ami");
  } else if (draw < 0.14) {
    person.languages.emplace_back("trv");
  } else if (draw < 0.24) {
    person.languages.emplace_back("hak");
  } else if (random.Chance(age >= 45 ? 0.6 : 0.3)) {
    person.languages.emplace_back("nan");
  }
}

std::string MakeEmail(Random& random, const Person& person, bool hong_kong) {
  const auto syllables = GivenSyllables(person, hong_kong);
  std::string given;
  for (const auto& syllable : syllables) given += Lower(syllable);
  std::string local = random.Chance(0.5) ? given + "." + Lower(FamilySpelling(person, hong_kong))
                                         : Lower(FamilySpelling(person, hong_kong)) + given;
  if (random.Chance(0.6)) local += fmt::format("{}", random.Between(1, 99));
  static constexpr std::array<std::string_view, 4> kHongKongDomains = {"gmail.com", "yahoo.com.hk", "hotmail.com",
                                                                       "netvigator.com"};
  static constexpr std::array<std::string_view, 4> kTaiwanDomains = {"gmail.com", "yahoo.com.tw", "hotmail.com",
                                                                     "hinet.net"};
  return local + "@" + std::string(hong_kong ? random.Pick(kHongKongDomains) : random.Pick(kTaiwanDomains));
}

void AssignAddress(Random& random, Household& household) {
  const Tables& tables = GetTables();
  if (household.hong_kong) {
    household.district = tables.hong_kong_district_pick.Pick(random);
    household.street = fmt::format("{} {}", random.Between(1, 300), random.Pick(kHongKongStreets));
    if (random.Chance(0.55)) {
      household.building = fmt::format("Flat {}, {}/F, Block {}, {}", random.Between(1, 24), random.Between(1, 40),
                                       random.Between(1, 12), random.Pick(kHongKongEstates));
    } else {
      household.building =
          fmt::format("Flat {}, {}/F, {} {}", static_cast<char>('A' + random.Below(8)), random.Between(1, 30),
                      random.Pick(kHongKongEstates).substr(0, 3), random.Chance(0.5) ? "Building" : "Mansion");
    }
    return;
  }
  household.district = tables.hualien_township_pick.Pick(random);
  const std::string_view section = random.Pick(kTaiwanSections);
  if (random.Chance(0.3)) {
    household.street = fmt::format("{}{}{}巷{}號", random.Pick(kTaiwanStreets), section, random.Between(1, 300),
                                   random.Between(1, 80));
  } else {
    household.street = fmt::format("{}{}{}號", random.Pick(kTaiwanStreets), section, random.Between(1, 600));
  }
  household.building = random.Chance(0.5) ? fmt::format("{}樓", random.Between(2, 14)) : "";
}

/// Builds one household, members in order, at most `member_limit` of them (the last household of a file is cut).
Household GenerateHousehold(uint64_t seed, long long household_idx, long long first_person_idx, int member_limit,
                            double hong_kong_share) {
  Random random(StreamSeed(seed, 1, static_cast<uint64_t>(household_idx)));
  const HouseholdPlan plan = PlanHousehold(random);
  const Tables& tables = GetTables();
  Household household;
  household.household_idx = household_idx;
  household.hong_kong = random.Chance(hong_kong_share);
  AssignAddress(random, household);
  if (random.Chance(household.hong_kong ? 0.45 : 0.5)) {
    household.landline = household.hong_kong ? std::string(1, random.Chance(0.8) ? '2' : '3') + Digits(random, 7)
                                             : "038" + Digits(random, 6);
  }
  const auto& surname_pick = household.hong_kong ? tables.hong_kong_surnames : tables.taiwan_surnames;

  auto add = [&](Role role, Sex sex, size_t surname, Days birth) -> Person& {
    Person person;
    person.role = role;
    person.sex = sex;
    person.surname = surname;
    person.birth = birth;
    household.members.push_back(std::move(person));
    return household.members.back();
  };

  // The adults and children, by shape.
  const bool elderly = plan.shape == Shape::kSingleElderly || plan.shape == Shape::kElderlyCouple;
  int head_age = 0;
  switch (plan.shape) {
  case Shape::kSingleElderly:
  case Shape::kElderlyCouple:
    head_age = ElderlyAge(random);
    break;
  case Shape::kSingleAdult:
  case Shape::kCouple:
    head_age = random.Between(20, 64);
    break;
  case Shape::kCoupleWithChildren:
    head_age = random.Between(27, 62);
    break;
  case Shape::kSingleParent:
    head_age = random.Between(24, 58);
    break;
  case Shape::kThreeGenerations:
    head_age = random.Between(28, 56);
    break;
  case Shape::kSiblings:
    head_age = random.Between(22, 80);
    break;
  }
  const bool single =
      plan.shape == Shape::kSingleElderly || plan.shape == Shape::kSingleAdult || plan.shape == Shape::kSingleParent;
  Sex head_sex = Sex::kMale;
  if (single)
    head_sex =
        random.Chance(elderly ? 0.58 : (plan.shape == Shape::kSingleParent ? 0.8 : 0.5)) ? Sex::kFemale : Sex::kMale;
  if (!single) head_sex = random.Chance(0.15) ? Sex::kFemale : Sex::kMale;
  const size_t head_surname = surname_pick.Pick(random);
  add(Role::kHead, head_sex, head_surname, BirthForAge(random, head_age));

  size_t father_surname = head_surname;
  Days mother_birth = household.members[0].birth;
  if (plan.shape == Shape::kElderlyCouple || plan.shape == Shape::kCouple || plan.shape == Shape::kCoupleWithChildren ||
      plan.shape == Shape::kThreeGenerations) {
    const Sex spouse_sex = head_sex == Sex::kMale ? Sex::kFemale : Sex::kMale;
    const int gap = random.Between(0, 6) - (random.Chance(0.2) ? 4 : 0);  // husbands are mostly older
    const int spouse_age = std::clamp(spouse_sex == Sex::kFemale ? head_age - gap : head_age + gap, 18, 100);
    const size_t spouse_surname = surname_pick.Pick(random);
    const Person& spouse = add(Role::kSpouse, spouse_sex, spouse_surname, BirthForAge(random, spouse_age));
    if (spouse_sex == Sex::kMale) father_surname = spouse_surname;
    if (spouse_sex == Sex::kFemale) mother_birth = spouse.birth;
  }
  if (plan.shape == Shape::kSiblings) {
    add(Role::kSibling, random.Chance(0.5) ? Sex::kMale : Sex::kFemale, head_surname,
        BirthForAge(random, std::clamp(head_age + random.Between(-8, 8), 18, 100)));
  }
  if (plan.shape == Shape::kSingleParent && head_sex == Sex::kFemale && random.Chance(0.6)) {
    father_surname = surname_pick.Pick(random);  // the children carry their father's surname
  }
  const int mother_age = AgeOf(mother_birth);
  Days previous_child{};
  int child_age = 0;
  for (int child_idx = 0; child_idx < plan.children; ++child_idx) {
    const bool twin = child_idx > 0 && random.Chance(0.03);
    // The first child when the mother was 20–40, the next ones one to five years later.
    child_age = child_idx == 0 ? std::max(0, mother_age - random.Between(20, std::max(20, std::min(40, mother_age))))
                               : std::max(0, child_age - random.Between(1, 5));
    const Days birth = twin ? previous_child : BirthForAge(random, child_age);
    add(Role::kChild, random.Chance(0.51) ? Sex::kMale : Sex::kFemale, father_surname, birth);
    previous_child = birth;
  }
  const int head_generation_age = AgeOf(household.members[0].birth);
  for (int parent_idx = 0; parent_idx < plan.grandparents; ++parent_idx) {
    const bool grandfather = plan.grandparents == 2 ? parent_idx == 0 : random.Chance(0.35);
    const int age = std::min(100, head_generation_age + random.Between(24, 38) + (grandfather ? 2 : 0));
    // The head's father shares the head's surname (when the head is the husband).
    const size_t surname = grandfather && head_sex == Sex::kMale ? head_surname : surname_pick.Pick(random);
    add(Role::kParent, grandfather ? Sex::kMale : Sex::kFemale, surname, BirthForAge(random, age));
  }

  // Names, documents, phones: per member.
  const Person* elder_sibling = nullptr;
  for (size_t member_idx = 0; member_idx < household.members.size(); ++member_idx) {
    Person& person = household.members[member_idx];
    person.person_idx = first_person_idx + static_cast<long long>(member_idx);
    ChooseGivenName(random, person, person.role == Role::kChild ? elder_sibling : nullptr);
    if (person.role == Role::kChild) elder_sibling = &person;
    const int age = AgeOf(person.birth);
    person.birth_estimated = age >= 80 && random.Chance(0.15);
    if (age >= 75 && random.Chance(0.02)) {
      person.has_death = true;
      person.death = Days{kReferenceDate} - std::chrono::days{random.Between(1, 700)};
    }
    ChooseLanguages(random, person, household.hong_kong, age);
    person.english_name_known = household.hong_kong ? random.Chance(0.96) : random.Chance(0.6);
    if (age >= 12 && random.Chance(household.hong_kong ? 0.40 : 0.08)) {
      person.english_alias =
          std::string(person.sex == Sex::kMale ? random.Pick(kEnglishMaleNames) : random.Pick(kEnglishFemaleNames));
    }
    if (random.Chance(0.12) && person.given_count > 0) {
      const auto& character = tables.characters[static_cast<size_t>(person.given[person.given_count - 1])];
      person.chinese_nickname = std::string(random.Chance(0.8) ? "阿" : "小") + std::string(character.hanzi);
    }
    const double document_draw = random.Real();
    if (document_draw < 0.02) {
      person.id_type = "passport";
      person.id_issuer = household.hong_kong ? "HK" : "TW";
      person.id_number = household.hong_kong
                             ? fmt::format("K{:08d}", (person.person_idx * 48'271 + 12'345) % 100'000'000)
                             : fmt::format("3{:08d}", (person.person_idx * 48'271 + 54'321) % 100'000'000);
    } else if (household.hong_kong) {
      person.id_type = age < 11 && random.Chance(0.4) ? "birth_cert" : "hkid";
      person.id_issuer = "HK";
      person.id_number = HongKongIdentity(seed, person.person_idx);
    } else {
      person.id_type = "twid";
      person.id_issuer = "TW";
      person.id_number = TaiwanIdentity(seed, person.person_idx, person.sex);
    }
    const bool own_mobile =
        age >= 18 ? (age < 65 ? random.Chance(0.93) : random.Chance(0.55)) : (age >= 12 && random.Chance(0.7));
    std::string mobile = own_mobile ? (household.hong_kong ? HongKongMobile(random) : TaiwanMobile(random)) : "";
    if (!mobile.empty() && !(age >= 65 && !household.landline.empty() && random.Chance(0.3))) {
      person.contact_phone = mobile;
    } else if (!household.landline.empty() && random.Chance(0.7)) {
      person.contact_phone = household.landline;
    } else if (member_idx > 0 && !household.members[0].contact_phone.empty() && random.Chance(0.7)) {
      person.contact_phone = household.members[0].contact_phone;  // a child's or an elder's record gives the head's
    }
    if (age >= 18 && age <= 70 && random.Chance(0.35)) person.email = MakeEmail(random, person, household.hong_kong);
  }
  if (static_cast<int>(household.members.size()) > member_limit)
    household.members.resize(static_cast<size_t>(member_limit));
  return household;
}

// ---------------------------------------------------------------------------------------------------------
// Recording: a person as one office typed them in, and the errors of extra records.

std::string FormatDate(Days day) {
  const std::chrono::year_month_day date{day};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::string FormatPhone(Random& random, std::string_view digits, bool hong_kong) {
  if (digits.empty()) return {};
  const double draw = random.Real();
  if (hong_kong) {
    if (draw < 0.55) return std::string(digits);
    if (draw < 0.85) return fmt::format("{} {}", digits.substr(0, 4), digits.substr(4));
    return fmt::format("+852 {} {}", digits.substr(0, 4), digits.substr(4));
  }
  if (digits.size() == 10) {  // mobile 09xxxxxxxx
    if (draw < 0.5) return std::string(digits);
    if (draw < 0.85) return fmt::format("{}-{}-{}", digits.substr(0, 4), digits.substr(4, 3), digits.substr(7));
    return fmt::format("+886 {} {} {}", digits.substr(1, 3), digits.substr(4, 3), digits.substr(7));
  }
  if (draw < 0.6) return fmt::format("{}-{}", digits.substr(0, 2), digits.substr(2));
  return std::string(digits);
}

std::string FormatIdentity(Random& random, const Person& person) {
  if (person.id_type != "hkid" && person.id_type != "birth_cert") return person.id_number;
  const std::string_view number = person.id_number;
  const std::string_view body = number.substr(0, number.size() - 1);
  const double draw = random.Real();
  if (draw < 0.6) return fmt::format("{}({})", body, number.back());
  if (draw < 0.9) return std::string(number);
  return fmt::format("{} ({})", body, number.back());
}

std::string GivenText(const std::vector<std::string>& syllables, bool hong_kong) {
  std::string text;
  for (size_t syllable_idx = 0; syllable_idx < syllables.size(); ++syllable_idx) {
    if (syllable_idx > 0) text += hong_kong ? " " : "-";
    text += Capitalised(syllables[syllable_idx]);
  }
  return text;
}

GeneratedRecord RecordPerson(Random& random, const Household& household, const Person& person) {
  GeneratedRecord record;
  record.person_key = person.person_idx;
  record.household_key = household.household_idx;
  const bool hong_kong = household.hong_kong;
  if (random.Chance(0.99)) record.chinese_name = ChineseName(person);
  if (person.english_name_known) {
    record.family_name_en = Upper(FamilySpelling(person, hong_kong));
    record.given_names_en = GivenText(GivenSyllables(person, hong_kong), hong_kong);
  }
  if (!person.english_alias.empty()) record.aliases.push_back(person.english_alias);
  if (!person.chinese_nickname.empty()) record.aliases.push_back(person.chinese_nickname);
  record.sex = person.sex == Sex::kMale ? "male" : "female";
  if (person.birth_estimated) {
    const std::chrono::year_month_day date{person.birth};
    record.birth_date = fmt::format("{:04d}-07-01", static_cast<int>(date.year()));
    record.birth_precision = "estimated";
  } else {
    record.birth_date = FormatDate(person.birth);
    record.birth_precision = "full";
  }
  if (person.has_death) record.death_date = FormatDate(person.death);
  if (random.Chance(0.93)) {
    record.id_type = person.id_type;
    record.id_number = FormatIdentity(random, person);
    record.id_issuer = person.id_issuer;
  }
  record.phone = FormatPhone(random, person.contact_phone, hong_kong);
  record.email = person.email;
  record.region = hong_kong ? "HK" : "TW";
  const District& district =
      hong_kong ? HongKongDistrictList()[household.district] : HualienTownshipList()[household.district];
  record.district = std::string(district.en);
  record.street = household.street;
  record.building = household.building;
  record.languages = person.languages;
  record.household_ref = fmt::format("F{:07d}", household.household_idx + 1);
  record.household_role = std::string(RoleName(person.role));
  return record;
}

void AppendCodePoint(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::string FullWidth(std::string_view text) {
  std::string out;
  for (const char character : text) {
    if (character > ' ' && character <= '~') {
      AppendCodePoint(out, 0xFF01 + static_cast<uint32_t>(character - '!'));
    } else {
      out.push_back(character);
    }
  }
  return out;
}

void Typo(Random& random, std::string& text) {
  std::vector<size_t> letters;
  for (size_t char_idx = 0; char_idx < text.size(); ++char_idx) {
    if ((text[char_idx] >= 'a' && text[char_idx] <= 'z') || (text[char_idx] >= 'A' && text[char_idx] <= 'Z')) {
      letters.push_back(char_idx);
    }
  }
  if (letters.size() < 2) return;
  const size_t at = letters[random.Below(letters.size())];
  const bool upper = text[at] >= 'A' && text[at] <= 'Z';
  const char letter = static_cast<char>((upper ? 'A' : 'a') + random.Below(26));
  switch (random.Below(4)) {
  case 0:
    text[at] = letter;
    break;
  case 1:
    text.erase(at, 1);
    break;
  case 2:
    text.insert(at, 1, letter);
    break;
  default:
    if (at + 1 < text.size() && text[at + 1] != ' ' && text[at + 1] != '-')
      std::swap(text[at], text[at + 1]);
    else
      text[at] = letter;
    break;
  }
}

std::string RespacedGiven(Random& random, const std::vector<std::string>& syllables) {
  if (syllables.size() < 2) return Upper(syllables.empty() ? "" : syllables[0]);
  const std::string first = Capitalised(syllables[0]);
  switch (random.Below(5)) {
  case 0:
    return first + "-" + syllables[1];
  case 1:
    return first + syllables[1];
  case 2:
    return first + "-" + Capitalised(syllables[1]);
  case 3:
    return first + " " + Capitalised(syllables[1]);
  default:
    return Upper(syllables[0]) + " " + Upper(syllables[1]);
  }
}

std::string ChineseWithHomophone(Random& random, const Person& person, bool hong_kong) {
  const Tables& tables = GetTables();
  Person changed = person;
  if (person.given_count == 0) return ChineseName(person);
  const int position = static_cast<int>(random.Below(static_cast<uint64_t>(person.given_count)));
  const int original = person.given[position];
  const auto& homophones = hong_kong ? tables.cantonese_homophones[static_cast<size_t>(original)]
                                     : tables.pinyin_homophones[static_cast<size_t>(original)];
  if (homophones.empty()) return ChineseName(person);
  changed.given[position] = homophones[random.Below(homophones.size())];
  return ChineseName(changed);
}

/// A valid date with two neighbouring digits of YYYYMMDD swapped, or nothing when no swap gives one.
std::optional<Days> TransposedDate(Random& random, Days day) {
  const std::chrono::year_month_day date{day};
  const std::string digits = fmt::format("{:04d}{:02d}{:02d}", static_cast<int>(date.year()),
                                         static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  for (int attempt = 0; attempt < 8; ++attempt) {
    const size_t at = 2 + random.Below(5);  // keep the century
    if (digits[at] == digits[at + 1]) continue;
    std::string swapped = digits;
    std::swap(swapped[at], swapped[at + 1]);
    const std::chrono::year_month_day candidate{
        std::chrono::year{std::stoi(swapped.substr(0, 4))},
        std::chrono::month{static_cast<unsigned>(std::stoi(swapped.substr(4, 2)))},
        std::chrono::day{static_cast<unsigned>(std::stoi(swapped.substr(6, 2)))}};
    if (candidate.ok() && Days{candidate} <= Days{kReferenceDate}) return Days{candidate};
  }
  return std::nullopt;
}

void ApplyBirthError(Random& random, const RecordingErrorRates& rates, const Person& person, GeneratedRecord& record) {
  const double draw = random.Real();
  double edge = rates.birth_transposed;
  const std::chrono::year_month_day date{person.birth};
  auto days_off = [&] {
    const int shift = random.Between(1, 7) * (random.Chance(0.5) ? 1 : -1);
    record.birth_date = FormatDate(person.birth + std::chrono::days{shift});
  };
  if (person.birth_estimated) {
    if (draw < rates.birth_missing) {
      record.birth_date.clear();
      record.birth_precision.clear();
    }
    return;
  }
  if (draw < edge) {
    if (const auto transposed = TransposedDate(random, person.birth)) {
      record.birth_date = FormatDate(*transposed);
    } else {
      days_off();
    }
    return;
  }
  if (draw < (edge += rates.birth_days_off)) {
    days_off();
    return;
  }
  if (draw < (edge += rates.birth_day_month_swapped)) {
    const unsigned day = static_cast<unsigned>(date.day());
    const unsigned month = static_cast<unsigned>(date.month());
    if (day <= 12 && day != month) {
      record.birth_date = fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(date.year()), day, month);
    } else {
      days_off();
    }
    return;
  }
  if (draw < (edge += rates.birth_year_month_only)) {
    record.birth_date = record.birth_date.substr(0, 7);
    record.birth_precision = "year_month";
    return;
  }
  if (draw < (edge += rates.birth_year_only)) {
    record.birth_date = record.birth_date.substr(0, 4);
    record.birth_precision = "year";
    return;
  }
  if (draw < edge + rates.birth_missing) {
    record.birth_date.clear();
    record.birth_precision.clear();
  }
}

void ApplyErrors(Random& random, const RecordingErrorRates& rates, const Household& household, const Person& person,
                 GeneratedRecord& record) {
  const bool hong_kong = household.hong_kong;
  const auto& surname = welfare::registry::KnownSurnames()[person.surname];
  // Chinese name.
  if (random.Chance(rates.chinese_homophone)) record.chinese_name = ChineseWithHomophone(random, person, hong_kong);
  if (random.Chance(rates.simplified_chinese) && !record.chinese_name.empty()) {
    record.chinese_name = GetTables().to_simplified->Convert(record.chinese_name);
  }
  if (random.Chance(rates.chinese_missing)) record.chinese_name.clear();
  // English name.
  if (random.Chance(rates.given_name_spacing) && !record.given_names_en.empty()) {
    record.given_names_en = RespacedGiven(random, GivenSyllables(person, hong_kong));
  }
  if (random.Chance(rates.surname_variant) && !record.family_name_en.empty() && surname.romanisations.size() > 1) {
    const std::string current = Lower(record.family_name_en);
    std::vector<std::string_view> others;
    for (const auto spelling : surname.romanisations) {
      if (spelling != current) others.push_back(spelling);
    }
    if (!others.empty()) record.family_name_en = Upper(others[random.Below(others.size())]);
  }
  if (random.Chance(rates.english_typo) && !record.family_name_en.empty()) {
    Typo(random, random.Chance(0.4) ? record.family_name_en : record.given_names_en);
  }
  if (random.Chance(rates.swapped_english_order) && !record.family_name_en.empty()) {
    std::swap(record.family_name_en, record.given_names_en);
  }
  if (random.Chance(rates.full_width) && !record.family_name_en.empty()) {
    record.family_name_en = FullWidth(record.family_name_en);
  }
  if (random.Chance(rates.english_missing)) {
    record.family_name_en.clear();
    record.given_names_en.clear();
  }
  // An alias in place of the name.
  if (random.Chance(rates.alias_as_name)) {
    if (!person.english_alias.empty() && !record.given_names_en.empty()) {
      record.given_names_en = person.english_alias;
    } else if (!person.chinese_nickname.empty()) {
      record.chinese_name = person.chinese_nickname;
    }
  }
  if (random.Chance(0.5)) record.aliases.clear();
  // Date of birth, sex, document, phone, address.
  ApplyBirthError(random, rates, person, record);
  if (random.Chance(rates.sex_unknown)) record.sex = "unknown";
  if (random.Chance(rates.id_missing)) {
    record.id_type.clear();
    record.id_number.clear();
    record.id_issuer.clear();
  } else if (record.id_type == "birth_cert" && random.Chance(0.5)) {
    record.id_type = "hkid";  // the same number, on the identity card the child has since
  }
  const double phone_draw = random.Real();
  if (phone_draw < rates.phone_changed) {
    record.phone = FormatPhone(random, hong_kong ? HongKongMobile(random) : TaiwanMobile(random), hong_kong);
  } else if (phone_draw < rates.phone_changed + rates.phone_missing) {
    record.phone.clear();
  }
  if (random.Chance(rates.full_width) && !record.phone.empty()) record.phone = FullWidth(record.phone);
  if (random.Chance(rates.moved)) {
    Household moved = household;
    AssignAddress(random, moved);
    const District& district =
        hong_kong ? HongKongDistrictList()[moved.district] : HualienTownshipList()[moved.district];
    record.district = std::string(district.en);
    record.street = moved.street;
    record.building = moved.building;
  }
  if (random.Chance(0.5)) record.email.clear();
  record.household_ref.clear();
  record.household_role.clear();
  record.duplicate = true;
}

void AppendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (const char character : field) {
    if (character == '"') out.push_back('"');
    out.push_back(character);
  }
  out.push_back('"');
}

std::string Joined(const std::vector<std::string>& values) {
  std::string joined;
  for (size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
    if (value_idx > 0) joined.push_back('|');
    joined += values[value_idx];
  }
  return joined;
}

}  // namespace
}  // namespace welfare::bench::population_detail

namespace welfare::bench {

std::string WadeGiles(std::string_view pinyin) {
  static const std::map<std::string_view, std::string_view> kWhole = {
      {"zi", "tzu"},    {"ci", "tzu"},   {"si", "ssu"}, {"zhi", "chih"},  {"chi", "chih"},  {"shi", "shih"},
      {"ri", "jih"},    {"er", "erh"},   {"yi", "i"},   {"you", "yu"},    {"ye", "yeh"},    {"yan", "yen"},
      {"yong", "yung"}, {"yue", "yueh"}, {"e", "o"},    {"jue", "chueh"}, {"que", "chueh"}, {"xue", "hsueh"},
  };
  if (const auto found = kWhole.find(pinyin); found != kWhole.end()) return std::string(found->second);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 23> kInitials = {{
      {"zh", "ch"}, {"ch", "ch"}, {"sh", "sh"}, {"z", "ts"}, {"c", "ts"}, {"j", "ch"}, {"q", "ch"}, {"x", "hs"},
      {"r", "j"},   {"b", "p"},   {"d", "t"},   {"g", "k"},  {"k", "k"},  {"p", "p"},  {"t", "t"},  {"m", "m"},
      {"f", "f"},   {"n", "n"},   {"l", "l"},   {"h", "h"},  {"s", "s"},  {"w", "w"},  {"y", "y"},
  }};
  std::string_view source_initial;
  std::string initial;
  for (const auto& [from, to] : kInitials) {
    if (!pinyin.starts_with(from)) continue;
    source_initial = from;
    initial = to;
    break;
  }
  std::string final_part(pinyin.substr(source_initial.size()));
  const bool velar = source_initial == "g" || source_initial == "k" || source_initial == "h";
  const bool dental =
      source_initial.size() == 1 && std::string_view("dtnlzcs").find(source_initial[0]) != std::string_view::npos;
  auto replace_end = [&](std::string_view from, std::string_view to) {
    if (!final_part.ends_with(from)) return false;
    final_part = final_part.substr(0, final_part.size() - from.size()) + std::string(to);
    return true;
  };
  if (final_part == "e" && velar) return initial + "o";
  if (final_part == "uo" && dental) return initial + "o";
  if (replace_end("ong", "ung") || replace_end("ian", "ien") || replace_end("ie", "ieh") || replace_end("ve", "ueh") ||
      replace_end("ue", "ueh")) {
    return initial + final_part;
  }
  std::ranges::replace(final_part, 'v', 'u');
  return initial + final_part;
}

const std::vector<District>& HongKongDistricts() { return population_detail::HongKongDistrictList(); }
const std::vector<District>& HualienTownships() { return population_detail::HualienTownshipList(); }

std::string_view PersonsCsvHeader() {
  return "external_ref,chinese_name,family_name_en,given_names_en,aliases,sex,birth_date,birth_precision,death_date,"
         "id_type,id_number,id_issuer,phone,email,region,district,street,building,languages,household_ref,"
         "household_role\n";
}

std::string_view TruthCsvHeader() { return "external_ref,person_key,household_key\n"; }

std::string PersonKeyText(long long person_key) { return fmt::format("P{:07d}", person_key + 1); }
std::string HouseholdKeyText(long long household_key) { return fmt::format("H{:07d}", household_key + 1); }

void AppendPersonsCsvRow(std::string& out, const GeneratedRecord& record) {
  using population_detail::AppendCsvField;
  const std::array<std::string_view, 21> fields = {
      record.external_ref,
      record.chinese_name,
      record.family_name_en,
      record.given_names_en,
      "",
      record.sex,
      record.birth_date,
      record.birth_precision,
      record.death_date,
      record.id_type,
      record.id_number,
      record.id_issuer,
      record.phone,
      record.email,
      record.region,
      record.district,
      record.street,
      record.building,
      "",
      record.household_ref,
      record.household_role,
  };
  for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    if (field_idx > 0) out.push_back(',');
    if (field_idx == 4) {
      AppendCsvField(out, population_detail::Joined(record.aliases));
    } else if (field_idx == 18) {
      AppendCsvField(out, population_detail::Joined(record.languages));
    } else {
      AppendCsvField(out, fields[field_idx]);
    }
  }
  out.push_back('\n');
}

void AppendTruthCsvRow(std::string& out, const GeneratedRecord& record) {
  population_detail::AppendCsvField(out, record.external_ref);
  out.push_back(',');
  out += PersonKeyText(record.person_key);
  out.push_back(',');
  out += HouseholdKeyText(record.household_key);
  out.push_back('\n');
}

PopulationSummary GeneratePopulation(const PopulationOptions& options,
                                     const std::function<void(const GeneratedRecord&)>& sink) {
  using namespace population_detail;
  PopulationSummary summary;
  if (options.records <= 0) return summary;
  const uint64_t seed = options.seed;
  const double rate = std::clamp(options.duplicate_rate, 0.0, 0.9);
  const auto duplicates =
      std::min(options.records - 1, static_cast<long long>(std::llround(static_cast<double>(options.records) * rate)));
  const long long persons = options.records - duplicates;

  // Household sizes only: the first draws of each household's stream.
  std::vector<long long> household_start;  // first person of each household
  for (long long person_count = 0; person_count < persons;) {
    household_start.push_back(person_count);
    Random random(StreamSeed(seed, 1, household_start.size() - 1));
    person_count += PlanHousehold(random).Size();
  }

  // The plan of extra records: a person, and after which first record of a person it goes in the file.
  struct Extra {
    long long after;
    long long person;
  };
  std::vector<Extra> extras;
  extras.reserve(static_cast<size_t>(duplicates));
  Random plan_random(StreamSeed(seed, 2, 0));
  for (long long extra_idx = 0; extra_idx < duplicates; ++extra_idx) {
    const auto person = static_cast<long long>(plan_random.Below(static_cast<uint64_t>(persons)));
    const auto after = person + static_cast<long long>(plan_random.Below(static_cast<uint64_t>(persons - person)));
    extras.push_back({after, person});
  }
  std::ranges::sort(extras, [](const Extra& left, const Extra& right) {
    return std::tie(left.after, left.person) < std::tie(right.after, right.person);
  });
  std::vector<uint32_t> records_per_person;  // for the true pair count only
  records_per_person.assign(static_cast<size_t>(persons), 1);
  for (const Extra& extra : extras) ++records_per_person[static_cast<size_t>(extra.person)];
  for (const uint32_t records : records_per_person)
    summary.true_pairs += static_cast<long long>(records) * (records - 1) / 2;
  records_per_person = {};

  long long record_number = 0;
  size_t next_extra = 0;
  auto emit = [&](GeneratedRecord& record) {
    record.external_ref = fmt::format("R{:08d}", ++record_number);
    sink(record);
  };
  auto household_of = [&](long long person) {
    const auto found = std::ranges::upper_bound(household_start, person);
    return static_cast<long long>(found - household_start.begin()) - 1;
  };
  auto members_in = [&](long long household_idx) {
    const long long end = static_cast<size_t>(household_idx + 1) < household_start.size()
                              ? household_start[static_cast<size_t>(household_idx + 1)]
                              : persons;
    return static_cast<int>(end - household_start[static_cast<size_t>(household_idx)]);
  };

  Household source;
  source.household_idx = -1;
  for (long long household_idx = 0; household_idx < static_cast<long long>(household_start.size()); ++household_idx) {
    const long long first = household_start[static_cast<size_t>(household_idx)];
    const Household household =
        GenerateHousehold(seed, household_idx, first, members_in(household_idx), options.hong_kong_share);
    ++summary.households;
    for (const Person& person : household.members) {
      Random record_random(StreamSeed(seed, 3, static_cast<uint64_t>(person.person_idx)));
      GeneratedRecord record = RecordPerson(record_random, household, person);
      emit(record);
      ++summary.persons;
      while (next_extra < extras.size() && extras[next_extra].after == person.person_idx) {
        const Extra& extra = extras[next_extra];
        const long long source_household = household_of(extra.person);
        if (source.household_idx != source_household) {
          source = GenerateHousehold(seed, source_household, household_start[static_cast<size_t>(source_household)],
                                     members_in(source_household), options.hong_kong_share);
        }
        const Person& original =
            source.members[static_cast<size_t>(extra.person - household_start[static_cast<size_t>(source_household)])];
        Random extra_random(StreamSeed(seed, 4, next_extra));
        GeneratedRecord copy = RecordPerson(extra_random, source, original);
        ApplyErrors(extra_random, options.errors, source, original, copy);
        emit(copy);
        ++summary.duplicates;
        ++next_extra;
      }
    }
  }
  summary.records = record_number;
  return summary;
}

std::vector<GeneratedRecord> GeneratePopulation(const PopulationOptions& options) {
  std::vector<GeneratedRecord> records;
  records.reserve(static_cast<size_t>(std::max(options.records, 0LL)));
  GeneratePopulation(options, [&](const GeneratedRecord& record) { records.push_back(record); });
  return records;
}

}  // namespace welfare::bench
