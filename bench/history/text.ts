/**
 * Message text for generated histories: chat lines in English, Chinese and
 * Japanese, code, links, emoji and accented words, picked by a seeded RNG so the
 * same seed always writes the same history. The pools are small but combined
 * (templates × fillers), so the index sees a realistic spread of trigrams.
 */
import type { Rng } from './rng'

const PEOPLE = ['Anna', 'Ben', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya']
const PLACES = ['the office', 'Berlin', 'the station', 'Lisbon', 'the café on Main Street', 'Zürich', 'the airport', 'São Paulo', 'the lab', 'home']
const THINGS = [
  'the meeting',
  'the release notes',
  'the budget',
  'the design review',
  'the quarterly report',
  'the deployment',
  'the new build',
  'the slides',
  'the contract',
  'the test plan',
  'the migration',
  'the dashboard',
  'the onboarding doc',
  'the invoice',
  'the roadmap',
]
const TIMES = ['tomorrow', 'tonight', 'on Monday', 'next week', 'after lunch', 'at 3 pm', 'this afternoon', 'before Friday', 'in ten minutes', 'later today']
const TEMPLATES: ((r: Rng) => string)[] = [
  (r) => `Can we move ${r.pick(THINGS)} to ${r.pick(TIMES)}?`,
  (r) => `I just sent ${r.pick(THINGS)} to ${r.pick(PEOPLE)}, let me know what you think.`,
  (r) => `${r.pick(PEOPLE)} says ${r.pick(THINGS)} is ready for review.`,
  (r) => `Running late, I'll be at ${r.pick(PLACES)} ${r.pick(TIMES)}.`,
  (r) => `Did you see ${r.pick(THINGS)}? Looks good to me.`,
  () => `Thanks! That fixed it.`,
  (r) => `Sounds good, see you ${r.pick(TIMES)}.`,
  (r) => `Who is taking notes for ${r.pick(THINGS)}?`,
  (r) => `The meeting with ${r.pick(PEOPLE)} was moved to ${r.pick(TIMES)}.`,
  (r) => `Lunch at ${r.pick(PLACES)}?`,
  (r) => `I'm stuck on ${r.pick(THINGS)}, can you help ${r.pick(TIMES)}?`,
  (r) => `Please review ${r.pick(THINGS)} when you have a minute.`,
  (r) => `Happy birthday ${r.pick(PEOPLE)}! 🎉`,
  (r) => `Great work on ${r.pick(THINGS)}, everyone.`,
  (r) => `We should talk about ${r.pick(THINGS)} ${r.pick(TIMES)}.`,
  (r) => `The train to ${r.pick(PLACES)} is delayed again.`,
  () => `ok`,
  (r) => `yes, ${r.pick(TIMES)} works for me`,
  () => `No worries, take your time.`,
  (r) => `Let's meet at ${r.pick(PLACES)} and go through ${r.pick(THINGS)}.`,
]
const ACCENTED = [
  'Meet me at the café, the one near the station.',
  'That was a naïve assumption, sorry.',
  'Her résumé is attached.',
  'The crème brûlée there is excellent.',
  'We are flying to Zürich and then to São Paulo.',
  'Façade work starts next week, the entrance is closed.',
  'Jalapeño or not? Señor Martínez insists.',
  'Déjà vu: the build failed again.',
]
const CHINESE = [
  '我们明天在北京开会，记得带上电脑。',
  '北京今天下雨了，出门带伞。',
  '这个版本的发布说明已经写好了。',
  '你看过新的设计稿了吗？',
  '周末一起去吃火锅吧！',
  '我下周去北京出差，三天。',
  '会议改到下午三点，请通知大家。',
  '数据库迁移已经完成，没有问题。',
  '谢谢你的帮助，问题解决了。',
  '上海和北京的团队明天一起开会。',
  '请把合同发给我，我今晚看。',
  '这家咖啡馆的蛋糕很好吃。',
]
const JAPANESE = [
  '明日の会議は十時からです。',
  'お疲れさまです！資料を送りました。',
  '東京は今日とても暑いです。',
  '新しいビルドをテストしてください。',
  '来週北京に出張します。',
  'ありがとうございます、助かりました。',
  'ラーメンを食べに行きませんか？',
  'デプロイは無事に終わりました。',
]
const CODE = [
  'Try `std::vector<int> v; v.reserve(1024);` before the loop, C++ will thank you.',
  '```cpp\ntemplate <typename T> T clamp(T v, T lo, T hi) { return std::max(lo, std::min(v, hi)); }\n```',
  'The multi-agent planner times out when maxDepth > 12.',
  '```ts\nconst page = await services.messages.page({ conversationId, limit: 50 })\n```',
  'Is `useVirtualList` still used in MessageList.vue?',
  'Set RUST_LOG=debug and run `cargo test -- --nocapture`.',
  'git rebase -i HEAD~3 then force-push to feature/multi-agent-sync',
  '```sql\nSELECT count(*) FROM messages WHERE conversation_id = ?;\n```',
  'The C++ build needs -std=c++20 now.',
  'Null pointer in parseEnvelope() when payload.length == 0',
  'Rename getUserById to findUser, it returns undefined anyway.',
  '```python\nfor i, row in enumerate(rows):\n    print(i, row["id"])\n```',
  'multi-agent systems: each agent keeps its own queue, see docs/protocol.md',
  'kubectl rollout restart deployment/api-gateway -n staging',
]
const LINK_HOSTS = ['https://github.com/parley/parley/pull/', 'https://example.com/docs/page-', 'https://news.example.org/story/', 'https://youtu.be/v', 'https://maps.example.com/?q=']
const LINK_LINES = ['Have a look: ', 'This one is good ', 'See ', 'PR is up: ', 'Found it: ', '']
const EMOJI = ['👍', '😂', '🎉', '❤️', '🙏', '🚀', '👀', '😅', '🔥', '✅', '🤔', '☕']

/** One message text for the given language mix. */
export function messageText(r: Rng): string {
  const x = r.next()
  if (x < 0.52) {
    const one = r.pick(TEMPLATES)(r)
    return r.next() < 0.3 ? `${one} ${r.pick(TEMPLATES)(r)}` : one
  }
  if (x < 0.62) return r.next() < 0.7 ? r.pick(CHINESE) : `${r.pick(CHINESE)}${r.pick(CHINESE)}`
  if (x < 0.68) return r.pick(JAPANESE)
  if (x < 0.76) return r.pick(CODE)
  if (x < 0.84) return `${r.pick(LINK_LINES)}${r.pick(LINK_HOSTS)}${r.int(100000)}`
  if (x < 0.9) return Array.from({ length: 1 + r.int(3) }, () => r.pick(EMOJI)).join('')
  if (x < 0.95) return r.pick(ACCENTED)
  return `${r.pick(TEMPLATES)(r)} ${r.pick(EMOJI)}`
}

/**
 * Words that appear nowhere in the pools above, each in exactly this many
 * messages (scaled down for small histories), so a bench can time a rare word and
 * a test can count its hits.
 */
export const RARE_WORDS: Readonly<Record<string, number>> = {
  quetzalcoatlus: 12,
  xylophonist: 120,
  zanzibarite: 1,
}

/** A line carrying a rare word. */
export function rareLine(r: Rng, word: string): string {
  return `${r.pick(TEMPLATES)(r)} PS: ${word}.`
}
