// libgit2 set-up and error conversion shared by the git source files.
#include "sources/git_repo.h"

#include <zlib.h>

#include <fstream>
#include <mutex>

namespace sprawl::sources::git {

void ensure_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // Perf: git cat-file does not re-hash objects it reads; neither do we.
    // A corrupt object still fails to inflate and is reported.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // Perf: the history walk reads each distinct tree once and each blob
    // is read once, so caching parsed trees and blobs only costs memory
    // (parsed trees are ~5x their packed size: 600 MB on 120k trees).
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB,
                     static_cast<size_t>(0));
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
                     static_cast<size_t>(0));
  });
}

std::string last_error_message(int code) {
  const git_error* e = git_error_last();
  if (e != nullptr && e->message != nullptr && e->message[0] != '\0')
    return e->message;
  if (code == GIT_ENOTFOUND) return "object not found";
  // libgit2 1.5 leaves no message for some inflate failures.
  if (code == GIT_ERROR) return "object data is corrupt or truncated";
  return "libgit2 error " + std::to_string(code);
}

Error git_failure(int code, std::string what, std::string input,
                std::string place) {
  return make_error(ErrorCode::kGit, what + ": " + last_error_message(code),
                    std::move(input), std::move(place));
}

model::Provenance commit_provenance(git_commit* commit) {
  model::Provenance p;
  p.commit = oid_hex(*git_commit_id(commit));
  const git_signature* author = git_commit_author(commit);
  if (author != nullptr) {
    p.author_name = author->name != nullptr ? author->name : "";
    p.author_email = author->email != nullptr ? author->email : "";
    p.author_time = author->when.time;
  }
  const char* summary = git_commit_summary(commit);
  p.summary = summary != nullptr ? summary : "";
  return p;
}

RepoPtr open_repository(const std::string& path, bool search, int* code) {
  ensure_libgit2();
  git_repository* repo = nullptr;
  unsigned flags =
      search ? 0u : static_cast<unsigned>(GIT_REPOSITORY_OPEN_NO_SEARCH);
  int rc = git_repository_open_ext(&repo, path.c_str(), flags, nullptr);
  if (code != nullptr) *code = rc;
  if (rc != 0) return nullptr;
  return RepoPtr(repo);
}

OidSet shallow_commits(git_repository* repo) {
  OidSet out;
  if (git_repository_is_shallow(repo) != 1) return out;
  std::ifstream in(std::string(git_repository_path(repo)) + "shallow");
  std::string line;
  while (std::getline(in, line)) {
    git_oid oid;
    if (line.size() >= GIT_OID_HEXSZ &&
        git_oid_fromstrn(&oid, line.data(), GIT_OID_HEXSZ) == 0)
      out.insert(oid);
  }
  return out;
}

namespace {

// Inflates a loose object file completely; false when the stream is cut or
// corrupt, or the header does not match the content.
bool loose_object_is_whole(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return true;  // not loose (packed): libgit2 reads it
  std::string packed((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return false;
  zs.next_in = reinterpret_cast<Bytef*>(packed.data());
  zs.avail_in = static_cast<uInt>(packed.size());
  char buf[65536];
  uint64_t total = 0;
  std::string header;
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    const std::size_t got = sizeof buf - zs.avail_out;
    if (header.size() < 64)
      header.append(buf, std::min<std::size_t>(got, 64 - header.size()));
    total += got;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;  // input ended early
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return false;
  const std::size_t nul = header.find('\0');
  const std::size_t space = header.find(' ');
  if (nul == std::string::npos || space == std::string::npos || space > nul)
    return false;
  const uint64_t declared = std::strtoull(header.c_str() + space + 1,
                                          nullptr, 10);
  return declared == total - nul - 1;
}

}  // namespace

std::string objects_dir(git_repository* repo) {
  return std::string(git_repository_commondir(repo)) + "objects";
}

int read_object(git_odb_object** out, git_odb* odb, const git_oid& id,
                const std::string& objects) {
  const std::string hex = oid_hex(id);
  const std::string file = objects + "/" + hex.substr(0, 2) + "/" +
                           hex.substr(2);
  if (!loose_object_is_whole(file)) {
    git_error_set_str(GIT_ERROR_ZLIB, "loose object is truncated or corrupt");
    return GIT_ERROR;
  }
  return git_odb_read(out, odb, &id);
}

}  // namespace sprawl::sources::git
