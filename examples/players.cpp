// SPDX-License-Identifier: MIT
// Match results as atomic changes: points = points + n in the data layer, so two reporters
// holding old copies of the same players both land their results.
#include <fmt/format.h>

#include "resources/player.hpp"

using app::Player;
using optimist::increment;
using optimist::set;

namespace {

/// The loser concedes: +3 to the winner. Never stale, whatever copy the caller holds.
optimist::Result<Player> concede(const optimist::Resource<Player>& players, const Player& winner) {
  return players.change(winner, increment<&Player::points>(3));
}

/// A draw: +1 to each, together, as a unit of two atomic changes.
optimist::UnitResult declare_draw(const std::shared_ptr<optimist::Store>& store, const Player& a,
                                  const Player& b) {
  return optimist::Unit{}
      .change<Player>("home", a.id, increment<&Player::points>(1))
      .change<Player>("away", b.id, increment<&Player::points>(1))
      .run(store);
}

}  // namespace

int main() {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<Player> players{store};
  const Player ann = players.create_or_throw(set<&Player::name>("Ann"));
  const Player bob = players.create_or_throw(set<&Player::name>("Bob"));

  // Both reporters hold the version-1 copies loaded above.
  const Player after_win = concede(players, ann).value();
  fmt::print("{} won: {} points, version {}\n", after_win.name, after_win.points,
             after_win.version);
  const auto draw = declare_draw(store, ann, bob).value();
  fmt::print("draw: {} has {}, {} has {}\n", ann.name, draw.get<Player>("home").points, bob.name,
             draw.get<Player>("away").points);

  // An editor holding the old copy of Ann is told, rather than erasing her points.
  const auto rename = players.update(ann, set<&Player::name>("Anna"));
  fmt::print("renaming from the old copy: {}\n", rename.error().kind);
  // When the change must not apply to a record that moved on, lock it on the version.
  const auto locked = players.change_locked(ann, increment<&Player::points>(3));
  fmt::print("locked change from the old copy: {}\n", locked.error().kind);
  return 0;
}
