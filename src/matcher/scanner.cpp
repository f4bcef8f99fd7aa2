// The scan hot path: one Hyperscan pass over a blob collects (rule, end)
// events; RE2 then confirms each rule's events over a bounded window ending
// at them and extracts the captures; filters decide what becomes a Finding.
// Buffers live in Scanner::State and are reused: no allocation per event.
#include <algorithm>
#include <cctype>
#include <cstring>

#include "matcher/compiled.h"
#include "matcher/unescaped.h"
#include "sprawl/matcher/filters.h"
#include "sprawl/util/hash.h"

namespace sprawl::matcher {
namespace {

using model::Blob;
using model::Finding;

struct Event {
  uint32_t rule;
  uint64_t end;
};

// A confirmed RE2 match before line numbers are known.
struct Candidate {
  uint32_t rule;
  std::size_t match_begin, match_end;
  std::size_t secret_begin, secret_end;
  std::size_t capture_first;  ///< index into State::captures
  std::size_t capture_count;
  double entropy = 0.0;
  ContextVerdict verdict = ContextVerdict::kKeep;
  /// A credential-file value that reads like a default or placeholder.
  bool weak = false;
};

int on_hyperscan_match(unsigned int id, unsigned long long, unsigned long long to,
                       unsigned int, void* context) {
  static_cast<std::vector<Event>*>(context)->push_back(
      {static_cast<uint32_t>(id), to});
  return 0;
}

}  // namespace

struct Scanner::State {
  hs_scratch_t* scratch = nullptr;
  std::vector<Event> events;
  std::vector<Candidate> candidates;
  std::vector<std::pair<uint32_t, std::pair<std::size_t, std::size_t>>>
      captures;  ///< (named-group slot, [begin, end))
  std::vector<re2::StringPiece> groups;
  /// Per rule, for the current blob: 0 unknown, 1 yes, 2 no.
  std::vector<uint8_t> keyword_seen, path_ok, credential_ok;
  /// Per candidate of the current blob: filtered or shadowed.
  std::vector<bool> dropped;
  /// The blob with its JSON/HTML escapes undone, and what was found there.
  detail::UnescapedView unescaped;
  std::vector<Finding> unescaped_findings;
  ~State() {
    if (scratch) hs_free_scratch(scratch);
  }
};

Scanner::Scanner(std::shared_ptr<const Matcher> matcher)
    : matcher_(std::move(matcher)), state_(std::make_unique<State>()) {
  if (matcher_->impl().db)
    hs_alloc_scratch(matcher_->impl().db, &state_->scratch);
  state_->groups.resize(16);
  state_->events.reserve(1024);
  state_->candidates.reserve(256);
}

Scanner::~Scanner() = default;
Scanner::Scanner(Scanner&&) noexcept = default;

namespace {

class BlobScan {
 public:
  BlobScan(const Matcher& m, Scanner::State& s, const Blob& b,
           ScanCounters& counters)
      : matcher_(m), state_(s), blob_(b), counters_(counters) {}

  void run(std::vector<Finding>& out) {
    collect_events();
    confirm_events();
    confirm_re2_only();
    sort_candidates();
    filter_candidates();
    drop_shadowed();
    emit(out);
  }

 private:
  void collect_events() {
    state_.events.clear();
    state_.candidates.clear();
    state_.captures.clear();
    const auto& impl = matcher_.impl();
    state_.keyword_seen.assign(impl.compiled.size(), 0);
    state_.path_ok.assign(impl.compiled.size(), 0);
    state_.credential_ok.assign(impl.compiled.size(), 0);
    if (!impl.db || blob_.bytes.empty()) return;
    // Hyperscan takes an unsigned int length; blobs are chunked well below.
    hs_scan(impl.db, blob_.bytes.data(),
            static_cast<unsigned>(blob_.bytes.size()), 0, state_.scratch,
            on_hyperscan_match, &state_.events);
  }

  void confirm_events() {
    auto& events = state_.events;
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      return a.rule != b.rule ? a.rule < b.rule : a.end < b.end;
    });
    std::size_t i = 0;
    while (i < events.size()) {
      const uint32_t rule = events[i].rule;
      const std::size_t window = matcher_.impl().compiled[rule]->window;
      // Merge the windows [end - window, end] of this rule's events into
      // disjoint regions; each region is searched once.
      std::size_t region_begin = sub(events[i].end, window);
      std::size_t region_end = events[i].end;
      std::size_t searched_to = 0;
      for (++i; i <= events.size(); ++i) {
        const bool same = i < events.size() && events[i].rule == rule;
        if (same && sub(events[i].end, window) <= region_end) {
          region_end = events[i].end;
          continue;
        }
        searched_to = search_region(rule, std::max(region_begin, searched_to),
                                    region_end, window);
        if (!same) break;
        region_begin = sub(events[i].end, window);
        region_end = events[i].end;
      }
    }
  }

  static std::size_t sub(uint64_t a, std::size_t b) {
    return a > b ? static_cast<std::size_t>(a - b) : 0;
  }

  // Finds every match of rule in [begin, end); widens the window once when
  // Hyperscan saw a match that the window was too short to hold.
  std::size_t search_region(uint32_t rule, std::size_t begin, std::size_t end,
                            std::size_t window) {
    std::size_t found = search(rule, begin, end);
    if (found == 0 && begin > 0) {
      const std::size_t wider = sub(end, window * 16);
      if (wider < begin) found = search(rule, wider, end);
    }
    return std::max(found, end);
  }

  // Appends the non-overlapping RE2 matches of rule in [begin, end).
  // Returns how many were appended.
  std::size_t search(uint32_t rule, std::size_t begin, std::size_t end) {
    CompiledRule& c = *matcher_.impl().compiled[rule];
    c.ensure();
    const re2::StringPiece text(blob_.bytes.data(), blob_.bytes.size());
    const int n = c.groups + 1;
    if (state_.groups.size() < static_cast<std::size_t>(n))
      state_.groups.resize(static_cast<std::size_t>(n));
    std::size_t count = 0;
    std::size_t pos = begin;
    while (pos <= end &&
           c.re->Match(text, pos, end, RE2::UNANCHORED, state_.groups.data(),
                       n)) {
      const re2::StringPiece& whole = state_.groups[0];
      const std::size_t mb = static_cast<std::size_t>(whole.data() - text.data());
      const std::size_t me = mb + whole.size();
      add_candidate(rule, c, text, mb, me);
      ++count;
      // Resume after the secret, not after the match: a rule's trailing
      // context (the newline ending a .pgpass line, the boundary after a
      // token) is the leading context of the next line's match.
      const re2::StringPiece& secret = state_.groups[c.secret_index];
      std::size_t next = me;
      if (secret.data() != nullptr)
        next = static_cast<std::size_t>(secret.data() - text.data()) +
               secret.size();
      pos = next > pos ? next : pos + 1;
    }
    return count;
  }

  void add_candidate(uint32_t rule, const CompiledRule& c,
                     const re2::StringPiece& text, std::size_t mb,
                     std::size_t me) {
    const re2::StringPiece& secret = state_.groups[c.secret_index];
    if (secret.data() == nullptr || secret.empty()) return;
    Candidate cand{rule, mb, me,
                   static_cast<std::size_t>(secret.data() - text.data()), 0,
                   state_.captures.size(), 0};
    cand.secret_end = cand.secret_begin + secret.size();
    for (std::size_t k = 0; k < c.named.size(); ++k) {
      const re2::StringPiece& g = state_.groups[c.named[k].second];
      if (g.data() == nullptr) continue;
      const std::size_t gb = static_cast<std::size_t>(g.data() - text.data());
      state_.captures.push_back(
          {static_cast<uint32_t>(k), {gb, gb + g.size()}});
      ++cand.capture_count;
    }
    state_.candidates.push_back(cand);
  }

  void confirm_re2_only() {
    for (uint32_t rule : matcher_.impl().re2_only)
      if (path_allowed(rule)) search(rule, 0, blob_.bytes.size());
  }

  void sort_candidates() {
    auto& cands = state_.candidates;
    std::sort(cands.begin(), cands.end(),
              [](const Candidate& a, const Candidate& b) {
                return a.secret_begin != b.secret_begin
                           ? a.secret_begin < b.secret_begin
                           : a.rule < b.rule;
              });
    state_.dropped.assign(cands.size(), false);
  }

  // Applies the per-candidate filters first, so that a candidate that fails
  // them cannot hide another one in drop_shadowed().
  void filter_candidates() {
    auto& cands = state_.candidates;
    const std::string& path = blob_.origin ? blob_.origin->path : empty_;
    for (std::size_t i = 0; i < cands.size(); ++i) {
      Candidate& cand = cands[i];
      const std::string_view secret = blob_.bytes.substr(
          cand.secret_begin, cand.secret_end - cand.secret_begin);
      cand.entropy = shannon_entropy(secret);
      const bool passed = passes_filters(cand, secret, cand.entropy);
      if (passed && lenient(cand.rule))
        cand.verdict = judge_credential_file(cand, secret, path);
      else if (passed) {
        const std::string_view line = line_around(cand.secret_begin);
        cand.verdict = judge_sample(
            cand, path, line,
            judge_context(secret, line, path,
                          matcher_.impl().compiled[cand.rule]->generic));
      }
      if (!passed || cand.verdict == ContextVerdict::kDrop) {
        state_.dropped[i] = true;
        ++counters_.filtered;
      }
    }
  }

  // A credential file's format already says the value is a login, so the
  // context checks for code and hashes do not apply; a value that reads
  // like a default is kept, marked weak, except in fixtures and docs where
  // it is the template it looks like.
  ContextVerdict judge_credential_file(Candidate& cand, std::string_view secret,
                                       std::string_view path) {
    // No one logs in to example.com: in a manual or a docs folder the
    // entry is a sample; in a config file it is kept, less certain.
    const bool example = names_example_host(blob_.bytes.substr(
        cand.match_begin, cand.match_end - cand.match_begin));
    const bool docs = is_fixture_path(path) || is_documentation_path(path);
    if (example && docs) return ContextVerdict::kDrop;
    // A password equal to the user name (postgres:postgres) is a default.
    if (equals_user(cand, secret)) {
      cand.weak = true;
      return docs ? ContextVerdict::kDrop : ContextVerdict::kKeep;
    }
    switch (judge_literal_value(secret)) {
      case LiteralValue::kDrop:
        return ContextVerdict::kDrop;
      case LiteralValue::kWeak:
        cand.weak = true;
        return docs ? ContextVerdict::kDrop : ContextVerdict::kKeep;
      case LiteralValue::kOrdinary:
        break;
    }
    return docs || example ? ContextVerdict::kLowerConfidence
                           : ContextVerdict::kKeep;
  }

  // A match naming a host in a documentation domain (machine example.com
  // ...) is a sample: dropped for generic rules and in manuals and docs
  // folders, one confidence step lower elsewhere.
  ContextVerdict judge_sample(const Candidate& cand, std::string_view path,
                              std::string_view line,
                              ContextVerdict verdict) const {
    if (verdict == ContextVerdict::kDrop) return verdict;
    const std::string_view match = blob_.bytes.substr(
        cand.match_begin, cand.match_end - cand.match_begin);
    if (!names_example_host(match) && !names_example_host(line))
      return verdict;
    // A password beside a documentation host is the sample it looks like,
    // in code as in prose; a token with a provider's format only loses
    // some certainty.
    if (matcher_.impl().compiled[cand.rule]->generic ||
        matcher_.rules()[cand.rule].kind == model::Kind::kPassword ||
        is_fixture_path(path) || is_documentation_path(path))
      return ContextVerdict::kDrop;
    return ContextVerdict::kLowerConfidence;
  }

  bool equals_user(const Candidate& cand, std::string_view secret) const {
    const CompiledRule& c = *matcher_.impl().compiled[cand.rule];
    for (std::size_t k = 0; k < cand.capture_count; ++k) {
      const auto& [slot, span] = state_.captures[cand.capture_first + k];
      if (c.named[slot].first != "user") continue;
      const std::string_view user =
          blob_.bytes.substr(span.first, span.second - span.first);
      if (user.size() == secret.size() &&
          std::equal(user.begin(), user.end(), secret.begin(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                     }))
        return true;
    }
    return false;
  }

  // A generic rule's candidate is dropped where a specific rule found a
  // secret overlapping it; of two rules reporting the same span, the one
  // with the higher confidence stays.
  void drop_shadowed() {
    auto& cands = state_.candidates;
    const auto& compiled = matcher_.impl().compiled;
    const auto& rules = matcher_.rules();
    std::vector<bool>& dropped = state_.dropped;
    for (std::size_t i = 0; i < cands.size(); ++i) {
      if (dropped[i]) continue;
      for (std::size_t j = i + 1; j < cands.size() &&
                                  cands[j].secret_begin < cands[i].secret_end;
           ++j) {
        if (dropped[j]) continue;
        const bool gi = compiled[cands[i].rule]->generic;
        const bool gj = compiled[cands[j].rule]->generic;
        if (gi && !gj) dropped[i] = true;
        else if (gj && !gi) dropped[j] = true;
        else if (cands[i].secret_begin == cands[j].secret_begin &&
                 cands[i].secret_end == cands[j].secret_end &&
                 cands[i].rule != cands[j].rule) {
          // Two generic rules of equal confidence: the one whose match took
          // in more context (`$smtp_pass = ` rather than `smtp_pass = `) is
          // the more specific. Specific rules keep the table's order.
          const auto ci = rules[cands[i].rule].confidence;
          const auto cj = rules[cands[j].rule].confidence;
          const bool j_longer = cands[j].match_end - cands[j].match_begin >
                                cands[i].match_end - cands[i].match_begin;
          const bool j_better = cj > ci || (cj == ci && gi && j_longer);
          (j_better ? dropped[i] : dropped[j]) = true;
        }
      }
    }
  }

  bool keyword_present(uint32_t rule, const Candidate& cand) {
    const auto& keywords = matcher_.rules()[rule].keywords;
    if (keywords.empty()) return true;
    const std::string_view match =
        blob_.bytes.substr(cand.match_begin, cand.match_end - cand.match_begin);
    for (const auto& k : keywords)
      if (contains_icase(match, k)) return true;
    uint8_t& seen = state_.keyword_seen[rule];
    if (seen == 0) {
      seen = 2;
      for (const auto& k : keywords)
        if (contains_icase(blob_.bytes, k)) seen = 1;
    }
    return seen == 1;
  }

  // True when a credential_file rule's leniency holds in this blob: the
  // rule is path-scoped, or the path is one of its tool's own files.
  bool lenient(uint32_t rule) {
    if (!matcher_.rules()[rule].credential_file) return false;
    CompiledRule& c = *matcher_.impl().compiled[rule];
    c.ensure();
    if (!c.credential_path_re) return true;
    uint8_t& ok = state_.credential_ok[rule];
    if (ok == 0) {
      const std::string& path = blob_.origin ? blob_.origin->path : empty_;
      ok = RE2::PartialMatch(path, *c.credential_path_re) ? 1 : 2;
    }
    return ok == 1;
  }

  bool path_allowed(uint32_t rule) {
    CompiledRule& c = *matcher_.impl().compiled[rule];
    c.ensure();
    if (!c.path_re && c.allow_paths.empty()) return true;
    uint8_t& ok = state_.path_ok[rule];
    if (ok == 0) {
      const std::string& path = blob_.origin ? blob_.origin->path : empty_;
      bool allowed = !c.path_re || RE2::PartialMatch(path, *c.path_re);
      for (const auto& p : c.allow_paths)
        if (allowed && RE2::PartialMatch(path, *p)) allowed = false;
      ok = allowed ? 1 : 2;
    }
    return ok == 1;
  }

  bool passes_filters(const Candidate& cand, std::string_view secret,
                      double entropy) {
    const model::Rule& rule = matcher_.rules()[cand.rule];
    const CompiledRule& c = *matcher_.impl().compiled[cand.rule];
    if (blob_.owned_bytes != 0 && cand.match_begin >= blob_.owned_bytes)
      return false;
    if (entropy < rule.min_entropy) return false;
    if (!lenient(cand.rule) && is_false_positive(secret, rule.kind))
      return false;
    for (const auto& allow : c.allow_res)
      if (RE2::PartialMatch(re2::StringPiece(secret.data(), secret.size()),
                            *allow))
        return false;
    for (const auto& stop : rule.stopwords)
      if (contains_icase(secret, stop)) return false;
    return keyword_present(cand.rule, cand) && path_allowed(cand.rule);
  }

  bool line_selected(uint32_t line) const {
    if (!blob_.only_lines || blob_.only_lines->empty()) return true;
    for (const auto& r : *blob_.only_lines)
      if (line >= r.first && line <= r.last) return true;
    return false;
  }

  std::string_view line_around(std::size_t pos) const {
    const char* data = blob_.bytes.data();
    std::size_t begin = pos;
    while (begin > 0 && data[begin - 1] != '\n') --begin;
    const void* nl = std::memchr(data + pos, '\n', blob_.bytes.size() - pos);
    std::size_t end = nl ? static_cast<const char*>(nl) - data
                         : blob_.bytes.size();
    return blob_.bytes.substr(begin, end - begin);
  }

  // Advances the line cursor to pos, counting newlines on the way.
  void advance_to(std::size_t pos) {
    const char* data = blob_.bytes.data();
    while (cursor_ < pos) {
      const void* nl = std::memchr(data + cursor_, '\n', pos - cursor_);
      if (!nl) {
        cursor_ = pos;
        break;
      }
      cursor_ = static_cast<const char*>(nl) - data + 1;
      line_start_ = cursor_;
      ++line_;
    }
  }

  void position(std::size_t pos, uint32_t& line, uint32_t& column) {
    advance_to(pos);
    line = line_;
    column = static_cast<uint32_t>(pos - line_start_ + 1);
    if (line == blob_.first_line) column += blob_.first_column - 1;
  }

  void emit(std::vector<Finding>& out) {
    line_ = blob_.first_line;
    const auto& cands = state_.candidates;
    for (std::size_t i = 0; i < cands.size(); ++i) {
      if (state_.dropped[i]) continue;
      const Candidate& cand = cands[i];
      const std::string_view secret = blob_.bytes.substr(
          cand.secret_begin, cand.secret_end - cand.secret_begin);
      uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
      position(cand.secret_begin, line, column);
      if (!line_selected(line)) continue;
      if (has_allow_marker(line_around(cand.secret_begin)) ||
          has_allow_marker(line_around(cand.secret_end - 1))) {
        ++counters_.suppressed_inline;
        continue;
      }
      const std::size_t saved_cursor = cursor_, saved_start = line_start_;
      const uint32_t saved_line = line_;
      position(cand.secret_end - 1, end_line, end_column);
      cursor_ = saved_cursor, line_start_ = saved_start, line_ = saved_line;
      out.push_back(make_finding(cand, secret, cand.entropy));
      if (cand.verdict == ContextVerdict::kLowerConfidence)
        out.back().confidence = model::lower(out.back().confidence);
      if (cand.weak) {
        out.back().confidence = model::Confidence::kLow;
        out.back().note =
            "the value reads like a default or placeholder; if this file is "
            "in use, it is a live login with a weak password";
      }
      model::Location& loc = out.back().location;
      loc.line = line, loc.column = column;
      loc.end_line = end_line, loc.end_column = end_column;
    }
  }

  Finding make_finding(const Candidate& cand, std::string_view secret,
                       double entropy) const {
    const model::Rule& rule = matcher_.rules()[cand.rule];
    const CompiledRule& c = *matcher_.impl().compiled[cand.rule];
    Finding f;
    f.rule_id = rule.id;
    f.rule_name = rule.name;
    f.provider = rule.provider;
    f.kind = rule.kind;
    f.severity = rule.severity;
    f.confidence = rule.confidence;
    f.secret.assign(secret);
    f.entropy = entropy;
    f.fingerprint = secret_fingerprint(rule.id, secret);
    for (std::size_t k = 0; k < cand.capture_count; ++k) {
      const auto& [slot, span] = state_.captures[cand.capture_first + k];
      f.captures.emplace_back(
          c.named[slot].first,
          std::string(blob_.bytes.substr(span.first, span.second - span.first)));
    }
    if (blob_.origin) f.location = *blob_.origin;
    f.offset = cand.secret_begin;
    f.group_id = blob_.group_id;
    return f;
  }

  const Matcher& matcher_;
  Scanner::State& state_;
  const Blob& blob_;
  ScanCounters& counters_;
  const std::string empty_;
  std::size_t cursor_ = 0, line_start_ = 0;
  uint32_t line_ = 1;
};

}  // namespace

namespace {

// Start of the line holding text[at].
std::size_t line_start(std::string_view text, std::size_t at) {
  const std::size_t nl = at == 0 ? std::string_view::npos
                                 : text.rfind('\n', at - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

// Moves a column found in the view to the original text: the escapes
// undone between the line's start and the position widen it back.
uint32_t original_column(const detail::UnescapedView& view, std::size_t at,
                         uint32_t column) {
  const std::size_t start = line_start(view.text(), at);
  const std::size_t widened =
      (view.original(at) - view.original(start)) - (at - start);
  return column + static_cast<uint32_t>(widened);
}

}  // namespace

// A second pass over the blob with \/, \" and &quot; undone finds what the
// escapes hide: webhook URLs in PHP-encoded JSON, "password": "..." in a
// notebook's escaped source or an HTML attribute. Only findings over bytes
// no first-pass finding covers are added. Escapes
// never span lines, so line numbers hold; columns are moved back.
void Scanner::scan(const Blob& blob, std::vector<Finding>& out) {
  counters_.bytes += blob.bytes.size();
  ++counters_.blobs;
  const std::size_t first = out.size();
  BlobScan(*matcher_, *state_, blob, counters_).run(out);

  detail::UnescapedView& view = state_->unescaped;
  if (!view.build(blob.bytes)) return;
  Blob decoded = blob;
  decoded.bytes = view.text();
  decoded.owned_bytes = view.view_offset(blob.owned_bytes);
  std::vector<Finding>& extra = state_->unescaped_findings;
  extra.clear();
  BlobScan(*matcher_, *state_, decoded, counters_).run(extra);
  const std::size_t raw_end = out.size();
  for (Finding& f : extra) {
    const std::size_t at = f.offset;
    const std::size_t end = at + (f.secret.empty() ? 0 : f.secret.size() - 1);
    // Already reported if a first-pass finding covers the same bytes.
    const std::size_t from = view.original(at), to = view.original(end) + 1;
    bool seen = false;
    for (std::size_t i = first; i < raw_end && !seen; ++i)
      seen = out[i].offset < to && from < out[i].offset + out[i].secret.size();
    if (seen) continue;
    f.location.column = original_column(view, at, f.location.column);
    f.location.end_column = original_column(view, end, f.location.end_column);
    f.offset = view.original(at);
    out.push_back(std::move(f));
  }
  if (out.size() > raw_end)
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first),
                     out.end(), [](const Finding& a, const Finding& b) {
                       return a.offset < b.offset;
                     });
}

}  // namespace sprawl::matcher
