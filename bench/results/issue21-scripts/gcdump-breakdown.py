import re, json, sys
N=5000
def load(p):
    d={}
    for line in open(p):
        m=re.match(r'\s+([\d,]+)\s+([\d,]+)\s+(.*?)\s+\[(.*)\]\s*$',line)
        if not m: continue
        size=int(m.group(1).replace(',',''));cnt=int(m.group(2).replace(',',''))
        t=re.sub(r'\s+\(Bytes > \d+K\)','',m.group(3))
        a=d.setdefault(t,[0,0]); a[0]+=size*cnt; a[1]+=cnt
    return d
def heap(p): return int(open(p).readline().split()[0].replace(',',''))
def diff(k):
    b=load(f'/tmp/memdump/{k}/base.report.txt'); l=load(f'/tmp/memdump/{k}/loaded.report.txt')
    out={}
    for t in set(b)|set(l):
        db=l.get(t,[0,0])[0]-b.get(t,[0,0])[0]; dc=l.get(t,[0,0])[1]-b.get(t,[0,0])[1]
        out[t]=(db,dc)
    return out, heap(f'/tmp/memdump/{k}/loaded.report.txt')-heap(f'/tmp/memdump/{k}/base.report.txt')
G=[
 ('app handler code (the ceiling\'s RawWebSocketCeiling)', r'RawWebSocketCeiling|Node<System\.Net\.WebSockets\.WebSocket,System\.Threading\.SemaphoreSlim>|^System\.Threading\.SemaphoreSlim'),
 ('ours', r'RealtimeApp\.|SocketEvent|EventListener|SocketContext|EngineSession|SocketIOConnection'),
 ('managed WebSocket', r'WebSocket(?!Transport)|ManagedWebSocket'),
 ('sockets/pipes/memory pool', r'Pipelines|Kestrel\.Transport\.Sockets|System\.Net\.Sockets|SocketAsync|MemoryPool|SafeSocketHandle|^System\.Net\.Sockets|IPEndPoint|SocketAddress|BufferMemoryReceiveOperation|Socket\+|DuplexPipe'),
 ('Kestrel HTTP/1.1 connection + request', r'Kestrel|AspNetCore\.Http|Hosting|StringValues|Claims|Activity|Routing|Features|HttpContext|IHeaderDictionary|Microsoft\.AspNetCore'),
]
def group(t):
    for g,rx in G:
        if re.search(rx,t): return g
    return 'other (shared BCL types)'
res={}
for k in ['ours','ceiling']:
    d,h=diff(k); res[k]=(d,h)
types=set(res['ours'][0])|set(res['ceiling'][0])
rows=[]
for t in types:
    o=res['ours'][0].get(t,(0,0)); c=res['ceiling'][0].get(t,(0,0))
    rows.append(dict(type=t,group=group(t),ours_bytes=o[0]/N,ours_count=o[1]/N,raw_bytes=c[0]/N,raw_count=c[1]/N))
rows.sort(key=lambda r:-max(r['ours_bytes'],r['raw_bytes']))
summ={}
for k,key in [('ours','ours_bytes'),('ceiling','raw_bytes')]:
    gs={}
    for r in rows: gs[r['group']]=gs.get(r['group'],0)+r[key]
    listed=sum(gs.values()); total=res[k][1]/N
    gs['unattributed (heap total − listed types; variable-size objects)']=total-listed
    summ[k]=dict(heap_delta_per_conn=total,groups=gs)
json.dump(dict(clients=N,method='dotnet-gcdump report of a dump with 5000 idle clients minus a dump after one warm-up connection, divided by 5000',summary=summ,types=rows),open(sys.argv[1],'w'),indent=1)
def short(t):
    t=re.sub(r'\s+\[.*','',t)
    return t
print('heap delta B/conn: ours %.0f raw %.0f'%(summ['ours']['heap_delta_per_conn'],summ['ceiling']['heap_delta_per_conn']))
print('\n| group | ours B/conn | raw B/conn | ours − raw |\n|---|---:|---:|---:|')
for g in [x[0] for x in G][::-1]+['other (shared BCL types)','unattributed (heap total − listed types; variable-size objects)']:
    o=summ['ours']['groups'].get(g,0);c=summ['ceiling']['groups'].get(g,0)
    print(f'| {g} | {o:,.0f} | {c:,.0f} | {o-c:+,.0f} |')
print(f"| **total (heap delta)** | **{summ['ours']['heap_delta_per_conn']:,.0f}** | **{summ['ceiling']['heap_delta_per_conn']:,.0f}** | **{summ['ours']['heap_delta_per_conn']-summ['ceiling']['heap_delta_per_conn']:+,.0f}** |")
for gname in [x[0] for x in G][::-1]+['other (shared BCL types)']:
    print(f'\n#### {gname}\n\n| type | ours B/conn (objects/conn) | raw B/conn (objects/conn) |\n|---|---:|---:|')
    rs=[r for r in rows if r['group']==gname and max(r['ours_bytes'],r['raw_bytes'])>=40]
    for r in rs[:int(sys.argv[2]) if len(sys.argv)>2 else 30]:
        print(f"| `{short(r['type'])[:150]}` | {r['ours_bytes']:,.0f} ({r['ours_count']:.2g}) | {r['raw_bytes']:,.0f} ({r['raw_count']:.2g}) |")
