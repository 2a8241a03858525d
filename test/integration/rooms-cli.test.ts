/**
 * `parley room …` against plain MQTT clients over a real Mosquitto, both ways: a
 * Python paho-mqtt client written as seed 004's chat ("username (client_id):
 * message") and mosquitto_pub/sub. The real bin; /usr/bin/python3 with Debian's
 * python3-paho-mqtt (bash .ci/run installs it; missing, these tests fail loudly).
 */
import { execFile, execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { requireBinary } from '../helpers/mosquitto'
import { useCliLab } from './support/cli-lab'
import { parley, Running } from './support/processes'

const run = promisify(execFile)
const PUB = requireBinary(existsSync('/usr/bin/mosquitto_pub') ? '/usr/bin/mosquitto_pub' : null, 'mosquitto_pub')
const SUB = requireBinary(existsSync('/usr/bin/mosquitto_sub') ? '/usr/bin/mosquitto_sub' : null, 'mosquitto_sub')

/** The interpreter Debian's python3-paho-mqtt serves (a pyenv python3 earlier on PATH may not see it). */
function requirePaho(): string {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
  try {
    execFileSync(python, ['-c', 'import paho.mqtt.client'], { stdio: 'pipe' })
  } catch {
    throw new Error(`${python} cannot import paho.mqtt. Run: apt-get install -y python3-paho-mqtt (bash .ci/run does this).`)
  }
  return python
}
const PYTHON = requirePaho()

/**
 * Seed 004's chat client, trimmed to what a test drives: connect with a client id,
 * subscribe to the topic, publish one message as "username (client_id): message"
 * (if given) and print every message received, one per line, until `expect` came.
 */
const PAHO_CHAT = String.raw`
import sys, threading
import paho.mqtt.client as mqtt
port, topic, username, client_id, message, expect = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
try:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, client_id=client_id)
except AttributeError:
    client = mqtt.Client(client_id=client_id)
done = threading.Event()
got = []
def on_connect(c, userdata, flags, rc):
    c.subscribe(topic, qos=1)
def on_subscribe(c, userdata, mid, granted):
    print("SUBSCRIBED", flush=True)
    if message:
        c.publish(topic, f"{username} ({client_id}): {message}", qos=1)
def on_message(c, userdata, msg):
    text = msg.payload.decode("utf-8")
    print(text, flush=True)
    if not text.startswith(f"{username} ({client_id}): "):
        got.append(text)
    if len(got) >= expect:
        done.set()
client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.connect("127.0.0.1", port, 30)
client.loop_start()
ok = done.wait(20) if expect > 0 else done.wait(3) or True
client.disconnect()
client.loop_stop()
sys.exit(0 if ok else 3)
`

function paho(port: number, topic: string, username: string, clientId: string, message: string, expect: number): Running {
  return new Running(spawn(PYTHON, ['-c', PAHO_CHAT, String(port), topic, username, clientId, message, String(expect)]))
}

interface Line {
  topic: string
  from: string
  text: string
  retained: boolean
  time: string
}
const lines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line)

describe('parley room and plain MQTT clients', () => {
  const lab = useCliLab('parley-cli-rooms-')
  const { as, start } = lab

  it('room join shows a seed-004 paho client\'s text with its username as the sender', async () => {
    const joined = start(['room', 'join', 'team/coding_issues', ...as('alice'), '--count', '1', '--timeout', '20'])
    await joined.waitFor('Joined team/coding_issues (QoS 1).')
    const py = paho(lab.broker.port, 'team/coding_issues', 'bob', 'paho-bob-1', 'the build is red again', 0)
    expect(await joined.exited).toBe(0)
    await py.stop()
    const [line] = lines(joined.stdout)
    expect(line).toMatchObject({ topic: 'team/coding_issues', from: 'bob', text: 'the build is red again', retained: false })
    expect(Date.parse(line!.time)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('the paho client receives room send\'s text in the seed format, with the device id and not the MQTT client id', async () => {
    const py = paho(lab.broker.port, 'team/coding_issues', 'bob', 'paho-bob-2', '', 1)
    await py.waitFor('SUBSCRIBED')
    const sent = await parley(['room', 'send', 'team/coding_issues', 'on it, give me 5 minutes', ...as('alice')])
    expect(sent.stderr).toContain('Sent to team/coding_issues (QoS 1).')
    expect(sent.code).toBe(0)
    expect(await py.exited).toBe(0)
    const received = py.stdout.split('\n').filter((l) => l && l !== 'SUBSCRIBED')
    expect(received).toHaveLength(1)
    const m = /^alice \(([^()]+)\): on it, give me 5 minutes$/.exec(received[0]!)
    expect(m, received[0]).not.toBeNull()
    // The seed's client id slot carries the public device id: the MQTT client id (GroupID@@@secret) never leaves.
    expect(m![1]).not.toContain('@@@')
    const settings = JSON.parse(readFileSync(join(lab.dataDir('alice'), 'settings.json'), 'utf8')) as { deviceId: string }
    expect(m![1]).toBe(settings.deviceId)
  })

  it('a wildcard room at QoS 2 shows mosquitto_pub\'s messages with their topics; a retained one once, marked', async () => {
    const port = String(lab.broker.port)
    await run(PUB, ['-h', '127.0.0.1', '-p', port, '-q', '1', '-r', '-t', 'sensors/door', '-m', 'closed'])
    const joined = start(['room', 'join', 'sensors/#', '--qos', '2', ...as('carol'), '--count', '3', '--timeout', '20'])
    await joined.waitFor('Joined sensors/# (QoS 2).')
    await run(PUB, ['-h', '127.0.0.1', '-p', port, '-q', '2', '-t', 'sensors/kitchen/temp', '-m', '21.5'])
    await run(PUB, ['-h', '127.0.0.1', '-p', port, '-q', '2', '-t', 'sensors/hall/motion', '-m', 'dave (pir-7): motion in the hall'])
    expect(await joined.exited).toBe(0)
    expect(lines(joined.stdout).map((l) => [l.topic, l.from, l.text, l.retained])).toEqual([
      ['sensors/door', 'door', 'closed', true],
      ['sensors/kitchen/temp', 'temp', '21.5', false],
      ['sensors/hall/motion', 'dave', 'motion in the hall', false],
    ])
    // Joined again (the broker sends the retained message again): nothing new to show.
    const again = await parley(['room', 'join', 'sensors/#', '--qos', '2', ...as('carol'), '--count', '1', '--timeout', '2'])
    expect(again.stdout).toBe('')
    expect(again.code).toBe(3)
    const listed = await parley(['rooms', ...as('carol'), '--json'])
    expect(JSON.parse(listed.stdout)).toEqual([{ filter: 'sensors/#', qos: 2, wildcard: true, link: 'parley://room?topic=sensors%2F%23&qos=2', code: null }])
  })

  it('mosquitto_sub receives room send at QoS 2 and QoS 0', async () => {
    const port = String(lab.broker.port)
    const sub = new Running(spawn(SUB, ['-h', '127.0.0.1', '-p', port, '-q', '2', '-t', 'ops/alerts', '-C', '2', '-W', '20', '-v']))
    await new Promise((r) => setTimeout(r, 300))
    const two = await parley(['room', 'send', 'ops/alerts', 'disk at 91%', '--qos', '2', ...as('erin')])
    expect(two.code).toBe(0)
    const zero = await parley(['room', 'send', 'ops/alerts', 'fixed', '--qos', '0', ...as('erin')])
    expect(zero.code).toBe(0)
    expect(await sub.exited).toBe(0)
    expect(sub.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^ops\/alerts erin \(.+\): disk at 91%$/), expect.stringMatching(/^ops\/alerts erin \(.+\): fixed$/)])
  })

  it('refuses wildcards where a topic is needed, $SYS, an empty filter and Parley\'s own namespace', async () => {
    const cases: [string[], number, RegExp][] = [
      [['room', 'send', 'a/+', 'hi'], 2, /"a\/\+" is a topic filter; messages are sent to a concrete topic/],
      [['room', 'send', 'a/#', 'hi'], 2, /topic filter/],
      [['room', 'join', '$SYS/#'], 2, /\$SYS/],
      [['room', 'join', ''], 2, /Enter a topic/],
      [['room', 'join', 'IMS/#'], 2, /Parley's own topics under IMS/],
      [['room', 'join', 'a/#/b'], 2, /# may only/],
      [['room', 'join', 'x', '--qos', '3'], 2, /--qos/],
      [['room', 'send', 'x', ''], 2, /cannot be empty/],
      [['room', 'frobnicate', 'x'], 2, /room takes join/],
    ]
    for (const [args, code, why] of cases) {
      const r = await parley([...args, ...as('frank')])
      expect(r.stderr, args.join(' ')).toMatch(why)
      expect(r.code, args.join(' ')).toBe(code)
    }
  })
})
