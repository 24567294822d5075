// SPDX-License-Identifier: MIT
// Units of work: building (name checks, composition) and running (checks, transaction,
// steps, commit) in one place.
#include "optimist/unit.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ostream>
#include <set>

namespace optimist {

namespace {

using Step = detail::UnitStep;

UnitError unit_error(std::string step, Error error, UnitResults completed) {
  UnitError e;
  static_cast<Error&>(e) = std::move(error);
  e.step = std::move(step);
  e.completed = std::move(completed);
  return e;
}

Error name_error(const std::string& name) {
  Error e = make_error(ErrorKind::invalid, name.empty() ? "a unit's steps need names"
                                                        : "a unit's step names must be unique");
  e.fields.push_back({name, name.empty() ? FieldReason::required : FieldReason::duplicate_name});
  return e;
}

}  // namespace

std::string_view to_string(StepKind kind) noexcept {
  switch (kind) {
    case StepKind::check:
      return "check";
    case StepKind::create:
      return "create";
    case StepKind::update:
      return "update";
    case StepKind::destroy:
      return "destroy";
    case StepKind::change:
      return "change";
    case StepKind::custom:
      return "custom";
    case StepKind::merge:
      return "merge";
    case StepKind::query:
      return "query";
  }
  return "custom";
}

std::ostream& operator<<(std::ostream& os, StepKind kind) {
  return os << to_string(kind);
}

std::ostream& operator<<(std::ostream& os, const StepInfo& step) {
  return os << '{' << step.name << ", " << step.kind << ", " << step.resource << '}';
}

std::vector<std::string> UnitResults::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.name);
  return out;
}

const std::any* UnitResults::lookup(std::string_view name) const {
  for (const Entry& e : entries_) {
    if (e.name == name) return &e.value;
  }
  return nullptr;
}

void UnitResults::reread(Store& store) {
  std::erase_if(entries_,
                [&](Entry& e) { return e.reread != nullptr && !e.reread(store, e.value); });
}

void UnitResults::missing(std::string_view name, bool wrong_type) {
  Error e = make_error(ErrorKind::invalid, wrong_type ? "the step's result has another type"
                                                      : "no step of that name has a result");
  e.fields.push_back(
      {std::string(name), wrong_type ? FieldReason::wrong_type : FieldReason::unknown_attribute});
  throw Exception(std::move(e));
}

Unit& Unit::add(Step step) {
  if (!error_) {
    const bool repeated = std::any_of(steps_.begin(), steps_.end(),
                                      [&](const Step& s) { return s.name == step.name; });
    if (step.name.empty() || repeated) error_ = unit_error(step.name, name_error(step.name), {});
  }
  steps_.push_back(std::move(step));
  return *this;
}

Unit& Unit::append(const Unit& other) {
  if (other.error_ && !error_) error_ = other.error_;
  for (const Step& s : other.steps_) add(s);
  return *this;
}

Unit& Unit::prepend(const Unit& other) {
  Unit combined = other;
  combined.append(*this);
  *this = std::move(combined);
  return *this;
}

std::vector<StepInfo> Unit::steps() const {
  std::vector<StepInfo> out;
  out.reserve(steps_.size());
  for (const Step& s : steps_) out.push_back({s.name, s.kind, s.resource});
  return out;
}

Result<void> Unit::validate() const {
  if (error_) return static_cast<const Error&>(*error_);
  return ok();
}

Result<void> Unit::run_steps(const std::vector<Step>& steps, bool skip_checks,
                             const std::shared_ptr<Store>& store, DataLayer& data,
                             UnitResults& results, std::string& failed) const {
  const bool in_transaction = &data != store.get();
  for (const Step& step : steps) {
    if (skip_checks && step.kind == StepKind::check) continue;
    failed = step.name;
    if (results.contains(step.name)) return name_error(step.name);  // from a merged unit
    try {
      if (step.kind == StepKind::merge) {
        const Unit nested = step.expand(results);
        OPTIMIST_TRYV(nested.validate());
        OPTIMIST_TRYV(run_steps(nested.steps_, false, store, data, results, failed));
        continue;
      }
      StepContext ctx(store, data, results, in_transaction);
      std::any value;
      OPTIMIST_TRYV(step.run(ctx, value));
      // Check steps read the store: their results were never rolled back.
      results.entries_.push_back(
          {step.name, std::move(value), in_transaction ? step.reread : nullptr});
    } catch (const Exception& e) {
      return e.error();
    }
  }
  return ok();
}

UnitResult Unit::run(const std::shared_ptr<Store>& store) const {
  if (error_) return *error_;
  UnitResults results;
  std::string failed;

  // Steps whose input is known now are validated before anything runs: an invalid unit
  // opens no transaction and runs no step.
  for (const Step& step : steps_) {
    if (!step.precheck) continue;
    if (auto r = step.precheck(store); !r) return unit_error(step.name, std::move(r).error(), {});
  }

  // Checks first, on the store: nothing is open, nothing written yet.
  std::vector<Step> checks;
  std::copy_if(steps_.begin(), steps_.end(), std::back_inserter(checks),
               [](const Step& s) { return s.kind == StepKind::check; });
  if (auto r = run_steps(checks, false, store, *store, results, failed); !r) {
    return unit_error(failed, std::move(r).error(), std::move(results));
  }

  // A unit of checks alone writes nothing: it opens no transaction.
  if (std::all_of(steps_.begin(), steps_.end(),
                  [](const Step& s) { return s.kind == StepKind::check; })) {
    return results;
  }

  // Tables must exist before the transaction: a store may refuse schema work inside one.
  std::set<const Table*> prepared;
  for (const Step& step : steps_) {
    if (step.kind == StepKind::check) continue;
    for (const auto table_of : step.tables) {
      const Result<Table>& table = table_of();
      if (!table) return unit_error(step.name, table.error(), std::move(results));
      if (!prepared.insert(&table.value()).second) continue;
      if (auto r = store->ensure_schema(table.value()); !r) {
        return unit_error(step.name, std::move(r).error(), std::move(results));
      }
    }
  }

  bool step_failed = false;
  auto r = store->transact([&](Transaction& transaction) -> Result<void> {
    auto ran = run_steps(steps_, true, store, transaction, results, failed);
    step_failed = !ran;
    return ran;
  });
  if (!r) {
    // Rolled back: what the steps returned is read again as the store holds it now.
    results.reread(*store);
    return unit_error(step_failed ? failed : std::string{}, std::move(r).error(),
                      std::move(results));
  }
  return results;
}

}  // namespace optimist
