#include "jobs/job_queue.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/json.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "db/optional.hpp"
#include "db/rows.hpp"

namespace welfare::jobs {
namespace {

using db::FromNullable;

constexpr const char* kJobColumns =
    "SELECT id, kind, status, payload, result, error, progress_done, progress_total, attempts, created_by, "
    "created_at, started_at, finished_at FROM jobs";

struct JobRow {
  Job job;
  boost::optional<std::string> result, error, started_at, finished_at;
  boost::optional<long long> created_by;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(job.id));
    statement.exchange(soci::into(job.kind));
    statement.exchange(soci::into(job.status));
    statement.exchange(soci::into(job.payload));
    statement.exchange(soci::into(result));
    statement.exchange(soci::into(error));
    statement.exchange(soci::into(job.progress_done));
    statement.exchange(soci::into(job.progress_total));
    statement.exchange(soci::into(job.attempts));
    statement.exchange(soci::into(created_by));
    statement.exchange(soci::into(job.created_at));
    statement.exchange(soci::into(started_at));
    statement.exchange(soci::into(finished_at));
  }
  [[nodiscard]] Job Get() const {
    Job out = job;
    out.result = FromNullable(result);
    out.error = FromNullable(error);
    out.started_at = FromNullable(started_at);
    out.finished_at = FromNullable(finished_at);
    out.created_by = FromNullable(created_by);
    return out;
  }
};

template <class Uses>
std::vector<Job> SelectJobs(soci::session& sql, const std::string& where, Uses&& bind_uses) {
  return db::SelectRows<JobRow>(sql, std::string(kJobColumns) + where, std::forward<Uses>(bind_uses));
}

boost::json::value ParseOrNull(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  return ec ? boost::json::value(*text) : value;
}

}  // namespace

boost::json::object ToJson(const Job& job) {
  return {{"id", job.id},
          {"kind", job.kind},
          {"status", job.status},
          {"progress_done", job.progress_done},
          {"progress_total", job.progress_total},
          {"attempts", job.attempts},
          {"created_at", job.created_at},
          {"started_at", NullIfEmpty(job.started_at)},
          {"finished_at", NullIfEmpty(job.finished_at)},
          {"error", NullIfEmpty(job.error)},
          {"result", ParseOrNull(job.result)},
          {"created_by", job.created_by ? boost::json::value(*job.created_by) : boost::json::value(nullptr)}};
}

void JobContext::Progress(long long done, long long total) {
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_write_ < std::chrono::milliseconds(250)) return;
  last_write_ = now;
  const std::string heartbeat = FormatTime(Now());
  auto written = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
    sql << "UPDATE jobs SET progress_done = :done, progress_total = :total, heartbeat_at = :now WHERE id = :id",
        soci::use(done), soci::use(total), soci::use(heartbeat), soci::use(id_);
    return true;
  });
  (void)written;
}

JobQueue::~JobQueue() { Stop(); }

void JobQueue::Register(const std::string& kind, JobHandler handler) { handlers_[kind] = std::move(handler); }

long long JobQueue::Enqueue(soci::session& sql, const std::string& kind, const boost::json::object& payload,
                            std::optional<long long> created_by) {
  const std::string text = boost::json::serialize(payload);
  const std::string now = FormatTime(Now());
  const auto by = db::Nullable(created_by);
  long long id = 0;
  sql << "INSERT INTO jobs (kind, status, payload, created_by, created_at) VALUES (:kind, 'queued', :payload, :by, "
         ":now) "
         "RETURNING id",
      soci::use(kind), soci::use(text), soci::use(by), soci::use(now), soci::into(id);
  return id;
}

void JobQueue::Notify() { wake_.notify_one(); }

void JobQueue::Start(size_t worker_count) {
  // Jobs a stopped server left running start again; after max_attempts they fail with a clear reason.
  auto recovered = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
    const std::string now = FormatTime(Now());
    sql << "UPDATE jobs SET status = 'failed', finished_at = :now, error = 'interrupted by a server restart too many "
           "times' WHERE status = 'running' AND attempts >= max_attempts",
        soci::use(now);
    sql << "UPDATE jobs SET status = 'queued', worker = NULL WHERE status = 'running'";
    return true;
  });
  (void)recovered;
  stopping_ = false;
  for (size_t index = 0; index < worker_count; ++index) workers_.emplace_back([this] { WorkerLoop(); });
}

void JobQueue::Stop() {
  stopping_ = true;
  wake_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

std::optional<Job> JobQueue::Claim() {
  auto claimed = database_.Write<std::optional<Job>>([&](soci::session& sql) -> Result<std::optional<Job>> {
    boost::optional<long long> id;
    if (database_.dialect() == db::Dialect::kPostgresql) {
      sql << "SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", soci::into(id);
    } else {
      sql << "SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1", soci::into(id);
    }
    if (!id) return std::optional<Job>();
    const std::string now = FormatTime(Now());
    sql << "UPDATE jobs SET status = 'running', attempts = attempts + 1, worker = :worker, started_at = :now, "
           "heartbeat_at = :now2 WHERE id = :id",
        soci::use(worker_name_), soci::use(now), soci::use(now), soci::use(*id);
    auto jobs = SelectJobs(sql, " WHERE id = :id", [&](soci::statement& s) { s.exchange(soci::use(*id, "id")); });
    return std::optional<Job>(jobs.front());
  });
  if (!claimed) return std::nullopt;
  return *claimed;
}

void JobQueue::RunOne(const Job& job) {
  JobContext context(database_, job.id, stopping_);
  Result<boost::json::object> outcome = Fail(Error::Internal("no handler for job kind " + job.kind));
  const auto handler = handlers_.find(job.kind);
  if (handler != handlers_.end()) {
    try {
      auto payload = ParseJsonObject(job.payload);
      outcome = payload ? handler->second(context, *payload) : Fail(payload.error());
    } catch (const std::exception& error) {
      outcome = Fail(Error::Internal(error.what()));
    }
  }
  if (stopping_ && !outcome) return;  // left running: the next start requeues it
  const std::string now = FormatTime(Now());
  auto recorded = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
    if (outcome) {
      const std::string result = boost::json::serialize(*outcome);
      sql << "UPDATE jobs SET status = 'succeeded', result = :result, finished_at = :now, "
             "progress_done = progress_total WHERE id = :id",
          soci::use(result), soci::use(now), soci::use(job.id);
    } else {
      const std::string error = outcome.error().internal.empty() ? outcome.error().code : outcome.error().internal;
      sql << "UPDATE jobs SET status = 'failed', error = :error, finished_at = :now WHERE id = :id", soci::use(error),
          soci::use(now), soci::use(job.id);
    }
    return true;
  });
  (void)recorded;
  Log(outcome ? LogLevel::kInfo : LogLevel::kWarn, "job finished",
      {{"job_id", job.id}, {"kind", job.kind}, {"status", outcome ? "succeeded" : "failed"}});
}

void JobQueue::WorkerLoop() {
  while (!stopping_) {
    std::optional<Job> job;
    try {
      job = Claim();
    } catch (const std::exception& error) {
      Log(LogLevel::kError, "job claim failed", {{"error", error.what()}});
    }
    if (job) {
      RunOne(*job);
      continue;
    }
    std::unique_lock lock(mutex_);
    if (housekeeping_ && std::chrono::steady_clock::now() >= next_housekeeping_) {
      next_housekeeping_ = std::chrono::steady_clock::now() + housekeeping_interval_;
      lock.unlock();
      try {
        housekeeping_();
      } catch (const std::exception& error) {
        Log(LogLevel::kError, "housekeeping failed", {{"error", error.what()}});
      }
      continue;
    }
    wake_.wait_for(lock, std::chrono::seconds(2), [&] { return stopping_.load(); });
  }
}

void JobQueue::SetHousekeeping(std::function<void()> work, std::chrono::seconds interval) {
  std::lock_guard lock(mutex_);
  housekeeping_ = std::move(work);
  housekeeping_interval_ = interval;
}

void JobQueue::Drain() {
  while (auto job = Claim()) RunOne(*job);
}

Result<std::vector<Job>> JobQueue::List(std::optional<std::string> status, int limit) {
  return database_.Read<std::vector<Job>>([&](soci::session& sql) -> Result<std::vector<Job>> {
    const auto status_value = db::Nullable(status);
    return SelectJobs(sql, " WHERE (CAST(:status AS TEXT) IS NULL OR status = :status2) ORDER BY id DESC LIMIT :limit",
                      [&](soci::statement& s) {
                        s.exchange(soci::use(status_value, "status"));
                        s.exchange(soci::use(status_value, "status2"));
                        s.exchange(soci::use(limit, "limit"));
                      });
  });
}

Result<Job> JobQueue::Get(long long id) {
  return database_.Read<Job>([&](soci::session& sql) -> Result<Job> {
    auto jobs = SelectJobs(sql, " WHERE id = :id", [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
    if (jobs.empty()) return Fail(Error::NotFound("job"));
    return jobs.front();
  });
}

std::pair<long long, long long> JobQueue::Counts() {
  long long queued = 0, running = 0;
  db::Database::Lease sql(database_);
  *sql << "SELECT COUNT(*) FROM jobs WHERE status = 'queued'", soci::into(queued);
  *sql << "SELECT COUNT(*) FROM jobs WHERE status = 'running'", soci::into(running);
  return {queued, running};
}

}  // namespace welfare::jobs
