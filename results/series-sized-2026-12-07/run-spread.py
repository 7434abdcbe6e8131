# Between-run spread of each trial: SD of the log of each run's TTFT p50/p90 and TPOT p50, over the
# result files of the folders given (python3 run-spread.py aa-1 ...).
import json,glob,statistics as st,math,collections,sys
vals=collections.defaultdict(list)
for d0 in sys.argv[1:]:
  for f in sorted(glob.glob(d0+'/*.run-*.json')):
    d=json.load(open(f))
    for t in d['trials']:
      m=t['metrics']['ttft']; tp=t['metrics'].get('tpot',{})
      vals[t['id'].split('.')[-1]].append((m['p50'],m['p90'],m['count'],tp.get('p50',1)))
for k,v in sorted(vals.items()):
  l50=[math.log(x[0]) for x in v]; l90=[math.log(x[1]) for x in v]; lt=[math.log(x[3]) for x in v]
  print('%-26s n/run %4d ttft p50 %7.1f  sd log p50 %.3f  p90 %.3f  tpot50 %.3f  runs %d'%(k,st.mean(x[2] for x in v),st.mean(x[0] for x in v),st.stdev(l50),st.stdev(l90),st.stdev(lt),len(v)))
