#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One person moving through a device's room by the random-waypoint model.
///
/// Waypoints are drawn 60 % of the time just across the line between transmitter and receiver
/// (so the person crosses the line of sight often) and otherwise anywhere in the room; legs are
/// walked at 0.8–1.4 m/s, and about a third of the arrivals are followed by a stop of 0.3–1 s.
/// A walking body swings its limbs (reflectivity ±20 % at the 1.8 Hz step rate); a still body
/// breathes (chest ±4–6 mm at 0.2–0.33 Hz) and sways (±3 mm). Before sitting or lying down the
/// person slows to a stop over `slowDown`; a fall cuts the walk off at full pace. In `empty-walk-empty` the person
/// enters through the door, heads back to it in time and walks on out through it without
/// stopping: past the wall the body fades out over `fadeDistance`, so it is gone when the
/// interval ends.
public struct Walker: Sendable {
    private let room: Room
    private let lineStart: SIMD2<Double>
    private let lineEnd: SIMD2<Double>
    private let door: SIMD2<Double>
    private let active: Range<Double>?
    private let entersAndLeaves: Bool
    private let torsoHeight: Double
    private let breathAmplitude: Double
    private let breathFrequency: Double
    private let breathPhase: Double
    private let swayPhases: SIMD2<Double>
    private let gaitPhase: Double
    private var generator: SeededGenerator
    /// The posture change at the end of the walk, when it starts, and (once begun) where.
    private let activity: Activity?
    private let activityStart: Double
    private var anchor: SIMD2<Double>?
    /// `still`: the person stands in one place the whole time.
    private let standsStill: Bool

    private var started = false
    private var clock = 0.0
    private var position = SIMD2<Double>()
    private var target = SIMD2<Double>()
    private var facing = SIMD2<Double>(1, 0)
    private var speed = 1.0
    private var pauseLeft = 0.0
    private var leaving = false

    private static let wallMargin = 0.4

    public init(model: ChannelModel, scenario: ScenarioName, seconds: Double, generator: SeededGenerator) {
        var generator = generator
        room = model.room
        lineStart = SIMD2(model.transmitter.x, model.transmitter.y)
        lineEnd = SIMD2(model.receiver.x, model.receiver.y)
        let doorX = generator.nextDouble(in: 1.0...(model.room.width - 1.0))
        door = SIMD2(doorX, generator.nextBool(probability: 0.5) ? Self.wallMargin : model.room.depth - Self.wallMargin)
        active = scenario.walkingInterval(seconds: seconds)
        entersAndLeaves = scenario.entersAndLeaves
        torsoHeight = generator.nextDouble(in: 1.0...1.3)
        breathAmplitude = generator.nextDouble(in: 0.004...0.006)
        breathFrequency = generator.nextDouble(in: 0.2...0.33)
        breathPhase = generator.nextDouble(in: 0...(2 * Double.pi))
        swayPhases = SIMD2(generator.nextDouble(in: 0...(2 * Double.pi)), generator.nextDouble(in: 0...(2 * Double.pi)))
        gaitPhase = generator.nextDouble(in: 0...(2 * Double.pi))
        activity = scenario.activity
        activityStart = activity.map { Activity.start(seconds: seconds, duration: $0.duration) } ?? .infinity
        standsStill = scenario == .still
        self.generator = generator
    }

    /// The body at time `t` (seconds from the start), or nil when nobody is in the room.
    /// Times must not decrease from call to call.
    public mutating func body(at t: Double) -> Body? {
        guard let active, active.contains(t) else { return nil }
        if !started { start(at: active.lowerBound) }
        if standsStill { pauseLeft = .infinity }
        if let activity, t >= activityStart { return posture(activity, at: t) }
        advance(to: walkTime(t))
        let walking = pauseLeft <= 0
        let breath = breathAmplitude * sin(2 * Double.pi * breathFrequency * t + breathPhase)
        let sway = 0.003 * SIMD2(sin(2 * Double.pi * 0.13 * t + swayPhases.x), sin(2 * Double.pi * 0.21 * t + swayPhases.y))
        let centre = position + facing * breath + sway
        let gait = walking ? 1 + 0.2 * sin(2 * Double.pi * 1.8 * t + gaitPhase) : 1
        let scale = gait * max(0, 1 - beyondWall / Self.fadeDistance)
        return Body(position: Position(centre.x, centre.y, torsoHeight), reflectivityScale: scale)
    }

    /// The body during and after the posture change: the walk stops where it was at the
    /// activity's start; the torso descends along the activity's profile and slides forward,
    /// then breathes (chest along the facing direction and, lying, vertically too).
    private mutating func posture(_ activity: Activity, at t: Double) -> Body {
        if anchor == nil {
            advance(to: walkTime(activityStart))
            anchor = position
        }
        let origin = anchor ?? position
        let done = activity.profile((t - activityStart) / activity.duration)
        let breath = breathAmplitude * sin(2 * Double.pi * breathFrequency * t + breathPhase)
        let settled = (t - activityStart) >= activity.duration
        let centre = clamp(origin + facing * (activity.slide * done)) + (settled ? facing * breath : SIMD2())
        let height = torsoHeight - (torsoHeight - activity.finalHeight) * done + (settled && activity != .sitDown ? breath : 0)
        let scale = 1 + (activity.finalReflectivity - 1) * done
        return Body(position: Position(centre.x, centre.y, height), reflectivityScale: scale)
    }

    /// Seconds over which a person slows from walking pace to a stop before sitting or lying
    /// down (about one stride); a fall interrupts the walk at full pace.
    static let slowDown = 0.8

    /// The time the walk has progressed to at `t`: before a controlled posture change the pace
    /// falls linearly to zero over `slowDown`, so the walk covers s − s²/(2·slowDown) of the
    /// last s seconds instead of s.
    private func walkTime(_ t: Double) -> Double {
        guard let activity, activity != .fall else { return t }
        let begin = activityStart - Self.slowDown
        guard t > begin else { return t }
        let s = min(t, activityStart) - begin
        return begin + s - s * s / (2 * Self.slowDown)
    }

    private mutating func start(at time: Double) {
        started = true
        clock = time
        position = entersAndLeaves ? door : randomPoint()
        let centre = SIMD2(room.width / 2, room.depth / 2)
        facing = Self.unit(centre - position) ?? facing
        chooseTarget(at: time)
    }

    private mutating func advance(to time: Double) {
        guard time > clock else { return }
        var now = clock
        var remaining = time - clock
        clock = time
        while remaining > 0 {
            if pauseLeft > 0 {
                let used = min(pauseLeft, remaining)
                pauseLeft -= used
                remaining -= used
                now += used
                continue
            }
            let delta = target - position
            let distance = Self.length(delta)
            let travel = speed * remaining
            if travel < distance {
                position += delta * (travel / distance)
                facing = delta / distance
                return
            }
            position = target
            if distance > 0 { facing = delta / distance }
            let used = distance / speed
            remaining -= used
            now += used
            arrive(at: now)
        }
    }

    /// Metres past the door's wall over which a leaving body's reflection fades to nothing.
    static let fadeDistance = 0.5
    /// Seconds a leaving person needs from the door until they are gone.
    static let exitSeconds = 1.5

    /// How far the body is past the wall the door is in (0 inside the room).
    private var beyondWall: Double {
        guard leaving else { return 0 }
        let outward = door.y < room.depth / 2 ? -position.y : position.y - room.depth
        return max(0, outward)
    }

    private mutating func arrive(at time: Double) {
        if leaving {
            // Through the door and on, straight out of the room at the same pace.
            let outward: Double = door.y < room.depth / 2 ? -1 : 1
            let away = SIMD2(door.x, door.y + outward * (Self.wallMargin + 2 * Self.fadeDistance))
            if target == away { pauseLeft = .infinity } else { target = away }
            return
        }
        pauseLeft = generator.nextBool(probability: 0.35) ? generator.nextDouble(in: 0.3...1.0) : 0
        chooseTarget(at: time + pauseLeft)
        // A room too small for a 1 m leg: stand a moment rather than spin in place.
        if target == position { pauseLeft = max(pauseLeft, 0.5) }
    }

    private mutating func chooseTarget(at time: Double) {
        let candidate = nextWaypoint()
        speed = generator.nextDouble(in: 0.8...1.4)
        if entersAndLeaves, let end = active?.upperBound {
            // Head for the door once another leg would not leave time to get there.
            let out = time + Self.length(candidate - position) / speed + 0.5 + Self.length(door - candidate) / 1.1 + Self.exitSeconds
            if out > end {
                // Just in through the door with too little time for a full leg: walk part of it
                // and come back, rather than stand in the doorway for the whole interval.
                let reach = (end - Self.exitSeconds - time - 0.5) * speed / 2
                let toCandidate = candidate - position
                if !leaving, Self.length(door - position) < 0.5, reach >= 0.5, let direction = Self.unit(toCandidate) {
                    target = clamp(position + direction * min(reach, Self.length(toCandidate)))
                    return
                }
                target = door
                leaving = true
                let available = end - Self.exitSeconds - time
                speed = min(max(Self.length(door - position) / max(available, 0.01), 0.8), 1.4)
                // Early even at a slow pace: linger here first, so the exit ends with the interval.
                pauseLeft += max(0, available - Self.length(door - position) / speed)
                return
            }
        }
        target = candidate
    }

    private mutating func nextWaypoint() -> SIMD2<Double> {
        var point = position
        for _ in 0..<8 {
            if generator.nextBool(probability: 0.6) {
                // Across the line of sight: 0.4–1.5 m to the other side of it from here, so the
                // leg cuts through the first Fresnel zone and across the path-length ellipses.
                let along = lineEnd - lineStart
                let normal = Self.unit(SIMD2(-along.y, along.x)) ?? SIMD2(0, 1)
                let side: Double = ((position - lineStart) * normal).sum() > 0 ? -1 : 1
                let base = lineStart + along * generator.nextDouble(in: 0.15...0.85)
                point = clamp(base + normal * (side * generator.nextDouble(in: 0.4...1.5)))
            } else {
                point = randomPoint()
            }
            if Self.length(point - position) >= 1 { break }
        }
        return point
    }

    private mutating func randomPoint() -> SIMD2<Double> {
        SIMD2(generator.nextDouble(in: Self.wallMargin...(room.width - Self.wallMargin)),
              generator.nextDouble(in: Self.wallMargin...(room.depth - Self.wallMargin)))
    }

    private func clamp(_ point: SIMD2<Double>) -> SIMD2<Double> {
        SIMD2(min(max(point.x, Self.wallMargin), room.width - Self.wallMargin),
              min(max(point.y, Self.wallMargin), room.depth - Self.wallMargin))
    }

    private static func length(_ v: SIMD2<Double>) -> Double { (v * v).sum().squareRoot() }

    private static func unit(_ v: SIMD2<Double>) -> SIMD2<Double>? {
        let l = length(v)
        return l > 1e-9 ? v / l : nil
    }
}
