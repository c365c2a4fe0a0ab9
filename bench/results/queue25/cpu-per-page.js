const fs=require('fs');
const p=JSON.parse(fs.readFileSync(process.argv[2]));
const byId=new Map(p.nodes.map(n=>[n.id,n]));
const parent=new Map();for(const n of p.nodes)for(const c of n.children||[])parent.set(c,n.id);
const marks=new Map();
const pkgOf=(url)=>{if(!url)return'';const m=url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);return m?m[1]:(url.includes('/src/')?'src':'node')};
const stackHas=(id,re)=>{let c=id;while(c!==undefined){const cf=byId.get(c).callFrame;if(re.test(cf.functionName+' '+cf.url))return true;c=parent.get(c);}return false;};
let started=false,total=0,gc=0;const pk=new Map();
for(let i=0;i<p.samples.length;i++){const id=p.samples[i];const d=(p.timeDeltas[i+1]||0);const n=byId.get(id);const name=n.callFrame.functionName;
 if(!started&&stackHas(id,/runHttpQuery|processGraphQLRequest/))started=true;
 if(!started)continue; if(name==='(idle)'||name==='(program)')continue;
 total+=d; const k=name==='(garbage collector)'?'(gc)':pkgOf(n.callFrame.url)||'(native/other)'; pk.set(k,(pk.get(k)||0)+d);}
const req=Number(process.argv[3]);
console.log(`non-idle after first request: ${(total/1000).toFixed(0)} ms; requests ~${req}; ${(total/1000/req).toFixed(1)} ms/request`);
for(const [k,t] of [...pk].sort((a,b)=>b[1]-a[1]).slice(0,12))console.log(`  ${k.padEnd(20)} ${(t/1000/req).toFixed(2)} ms/req`);
