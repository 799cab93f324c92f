import json,glob,re,collections,statistics,sys
pat=sys.argv[1] if len(sys.argv)>1 else 'r3'
res=collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob(f'/tmp/jmh/{pat}/*-*-*.json')):
    m=re.search(r'/(ch|rv)-(\w+)-(\d)\.json',f)
    if not m: continue
    try: data=json.load(open(f))
    except Exception: continue
    for r in data:
        b=r['benchmark'].split('.')[-2]+'.'+r['benchmark'].split('.')[-1]
        key=(b,r['params'].get('impl'),r['params'].get('threads',''))
        res[key][m.group(2)].append(r['primaryMetric']['score']/1e6)
vs=sorted({v for k in res for v in res[k]})
for k in sorted(res):
    d=res[k]
    line='%-45s %-9s %-8s'%k
    for v in vs:
        line+='  %s=%s'%(v,'/'.join('%.2f'%x for x in d.get(v,[])))
    if len(vs)==2 and all(d.get(v) for v in vs):
        a,b=[statistics.median(d[v]) for v in vs]
        line+='  ratio %s/%s=%.3f'%(vs[1],vs[0],b/a)
    print(line)
