// generate: writes a synthetic population as DIR/persons.csv and its truth as DIR/truth.csv.
//   generate --persons 1000000 --seed 7 --out /tmp/population [--duplicate-rate 0.10]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/registry/population.hpp"

namespace {

/// A file written through a large buffer, so that millions of short rows cost few system calls.
class BufferedFile {
 public:
  explicit BufferedFile(const std::filesystem::path& path) : file_(std::fopen(path.c_str(), "wb")) {
    if (file_ == nullptr) throw std::runtime_error("cannot write " + path.string());
    buffer_.reserve(kFlushAt + 4096);
  }
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;
  ~BufferedFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  std::string& Buffer() { return buffer_; }
  void MaybeFlush() {
    if (buffer_.size() >= kFlushAt) Flush();
  }
  void Close() {
    Flush();
    if (std::fclose(file_) != 0) throw std::runtime_error("write failed");
    file_ = nullptr;
  }

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  void Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      throw std::runtime_error("write failed");
    }
    buffer_.clear();
  }
  std::FILE* file_;
  std::string buffer_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Writes a synthetic Hong Kong and Hualien population with duplicate records and its truth"};
  welfare::bench::PopulationOptions options;
  std::string out_dir;
  app.add_option("--persons", options.records, "records in the file (extra records of a person included)")
      ->required()
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", options.seed, "the same seed gives the same files")->default_val(1);
  app.add_option("--out", out_dir, "directory for persons.csv and truth.csv")->required();
  app.add_option("--duplicate-rate", options.duplicate_rate, "share of records that are extra records of a person")
      ->default_val(0.10)
      ->check(CLI::Range(0.0, 0.9));
  app.add_option("--hong-kong-share", options.hong_kong_share, "share of households in Hong Kong (others Hualien)")
      ->default_val(0.70)
      ->check(CLI::Range(0.0, 1.0));
  CLI11_PARSE(app, argc, argv);

  try {
    const auto start = std::chrono::steady_clock::now();
    std::filesystem::create_directories(out_dir);
    BufferedFile persons(std::filesystem::path(out_dir) / "persons.csv");
    BufferedFile truth(std::filesystem::path(out_dir) / "truth.csv");
    persons.Buffer() += welfare::bench::PersonsCsvHeader();
    truth.Buffer() += welfare::bench::TruthCsvHeader();
    const auto summary =
        welfare::bench::GeneratePopulation(options, [&](const welfare::bench::GeneratedRecord& record) {
          welfare::bench::AppendPersonsCsvRow(persons.Buffer(), record);
          welfare::bench::AppendTruthCsvRow(truth.Buffer(), record);
          persons.MaybeFlush();
          truth.MaybeFlush();
        });
    persons.Close();
    truth.Close();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("records        {}\n", summary.records);
    fmt::print("persons        {}\n", summary.persons);
    fmt::print("households     {}\n", summary.households);
    fmt::print("extra records  {} ({:.1f} %)\n", summary.duplicates,
               100.0 * static_cast<double>(summary.duplicates) / static_cast<double>(std::max(summary.records, 1LL)));
    fmt::print("true pairs     {}\n", summary.true_pairs);
    fmt::print("written to     {}/persons.csv, {}/truth.csv\n", out_dir, out_dir);
    fmt::print("time           {:.1f} s\n", seconds);
  } catch (const std::exception& error) {
    fmt::print(stderr, "generate: {}\n", error.what());
    return 1;
  }
  return 0;
}
