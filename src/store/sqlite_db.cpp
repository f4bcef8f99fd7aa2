// RAII helpers over the sqlite3 C API (see sqlite_db.h).
#include "store/sqlite_db.h"

namespace sprawl::store::detail {

namespace {

std::string file_of(sqlite3* db) {
  const char* name = db ? sqlite3_db_filename(db, "main") : nullptr;
  return name ? name : "";
}

}  // namespace

Error db_error(sqlite3* db, std::string_view what) {
  return make_error(ErrorCode::kStore,
                    std::string(what) + ": " + sqlite3_errmsg(db),
                    file_of(db));
}

Expected<void> exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return fail(make_error(ErrorCode::kStore, "sql failed: " + text,
                           file_of(db)));
  }
  return {};
}

Expected<Statement*> Statement::prepare(sqlite3* db, std::string_view sql,
                                        Statement& into) {
  sqlite3_finalize(into.stmt_);
  into.stmt_ = nullptr;
  into.db_ = db;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()),
                         &into.stmt_, nullptr) != SQLITE_OK)
    return fail(db_error(db, "prepare"));
  return &into;
}

Expected<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return fail(db_error(db_, "step"));
}

Expected<void> Transaction::begin() {
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) !=
      SQLITE_OK)
    return fail(db_error(db_, "begin transaction"));
  open_ = true;
  return {};
}

Expected<void> Transaction::commit() {
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return fail(db_error(db_, "commit"));
  open_ = false;
  return {};
}

}  // namespace sprawl::store::detail
