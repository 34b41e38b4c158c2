# python3 nlu-models/incoming/wave10/import_wave.py — writers' replies.yaml (test-set format) -> corpus/dev wave files, 1 in 5 to dev (seeded)
import yaml, random, sys, os, collections
wave = 'wave10'
here = os.path.dirname(os.path.abspath(__file__))
srcs = [(f'{here}/en-a.yaml','en','A'),(f'{here}/en-b.yaml','en','B'),(f'{here}/zh-a.yaml','zh','C')]
root = os.path.normpath(f'{here}/../..')
out = collections.defaultdict(lambda: {'typed': [], 'voice': []})
rng = random.Random(10)
counts = collections.Counter()
for path, loc, w in srcs:
    if not os.path.exists(path):
        print('missing', path); continue
    entries = yaml.safe_load(open(path))
    for e in entries:
        part = 'dev' if rng.random() < 0.2 else 'corpus'
        key = (part, loc, e['intent'])
        out[key]['voice' if e['channel'] == 'voice' else 'typed'].append(str(e['text']).strip())
        counts[(part, loc)] += 1
header = {
 'corpus': "# Tenth wave: written by helper sessions (English by two, Chinese by one) that never read the corpus, the dev\n# set, the cue rules or any frozen test set, from the test sets' brief adapted for training data (many voices,\n# every scam type and channel, the six hard classes); 4 in 5 of each writer's replies, the rest in the dev set.\n",
 'dev': "# Tenth wave (dev): 1 in 5 of the replies the wave-10 writers wrote (helper sessions that never read the corpus,\n# the dev set, the cue rules or any frozen test set); the other 4 in 5 are in the corpus.\n",
}
for (part, loc, intent), lists in sorted(out.items()):
    p = f'{root}/{part}/{loc}/{intent}.{wave}.yaml'
    with open(p, 'w') as f:
        f.write(header[part])
        f.write(yaml.safe_dump({'intent': intent, 'typed': lists['typed'], 'voice': lists['voice']}, allow_unicode=True, sort_keys=False, width=1000))
print(dict(counts))
