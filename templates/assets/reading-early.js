// Reading mode (长者模式) applied before the first paint, so a page never flashes in small type. Loaded
// in <head> as a blocking script (a file, not inline: the Content-Security-Policy allows no inline script).
try{if(localStorage.getItem("dc-reading")==="1")document.documentElement.classList.add("dc-reading")}catch(e){}
