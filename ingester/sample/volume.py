"""How much traffic to start each hour: the model's own volume, or scaled to about N lines.

For a target the scale is re-solved every hour from what is still missing, using the lines per
human visit and per robot visit measured so far; estimating once up front would miss by the
error of that estimate, this way the total lands within a few percent.
"""

from __future__ import annotations

PRIOR_HUMAN_LINES = 14.0  # lines per human visit before any have been measured
PRIOR_ROBOT_LINES = 1.6
PRIOR_FIXED_LINES = 40.0  # lines per hour of monitors and scanner bursts


class Volume:
    def __init__(self, target: int | None, humans: list[float], robots: list[float]) -> None:
        """`humans`/`robots`: expected visits in each hour of the period at scale 1."""
        self.target = target
        self._humans, self._robots = _from_hour_on(humans), _from_hour_on(robots)
        self.hours = len(humans)
        self.human_visits = self.robot_visits = 0
        self.human_lines = self.robot_lines = self.fixed_lines = 0
        self.hours_done = 0

    def estimate(self) -> int:
        """Lines the whole period will have (the target, or the model's own volume)."""
        if self.target is not None:
            return self.target
        per_hour = PRIOR_FIXED_LINES * self.hours
        return round(
            self._humans[0] * PRIOR_HUMAN_LINES + self._robots[0] * PRIOR_ROBOT_LINES + per_hour
        )

    def scale(self, hour: int, produced: int) -> float:
        if self.target is None:
            return 1.0
        human = _blend(self.human_lines, self.human_visits, PRIOR_HUMAN_LINES, 50)
        robot = _blend(self.robot_lines, self.robot_visits, PRIOR_ROBOT_LINES, 50)
        fixed = _blend(self.fixed_lines, self.hours_done, PRIOR_FIXED_LINES, 2)
        missing = self.target - produced - fixed * (self.hours - hour)
        capacity = human * self._humans[hour] + robot * self._robots[hour]
        return max(0.0, missing) / capacity if capacity else 0.0

    def record(self, human: tuple[int, int], robot: tuple[int, int], fixed_lines: int) -> None:
        """What one hour produced: (visits, lines) of humans and robots, and the other lines."""
        self.human_visits += human[0]
        self.human_lines += human[1]
        self.robot_visits += robot[0]
        self.robot_lines += robot[1]
        self.fixed_lines += fixed_lines
        self.hours_done += 1


def _blend(lines: int, count: int, prior: float, weight: int) -> float:
    """Measured lines per unit, pulled towards the prior while there are few measurements."""
    return (lines + prior * weight) / (count + weight)


def _from_hour_on(values: list[float]) -> list[float]:
    """sums[h] = values[h] + values[h + 1] + ...; sums[len(values)] = 0."""
    sums = [0.0] * (len(values) + 1)
    for hour in range(len(values) - 1, -1, -1):
        sums[hour] = sums[hour + 1] + values[hour]
    return sums
