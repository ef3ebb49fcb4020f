// lotbox staff screens: the one script the pages load. No framework, no build step, nothing
// fetched from elsewhere. Writes carry the page session's CSRF token; the kiosk and the dock
// follow their station live over /events (server-sent events) and frame a keyboard-wedge
// scanner's keys.
"use strict";

(function () {
  const body = document.body;
  const station = body.dataset.station || null;
  const page = body.dataset.page || "";

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // Every write goes through here: JSON, the CSRF token, and a signed-out session sends the
  // screen back to the sign-in page (to return here afterwards).
  async function send(method, path, payload, extra) {
    const headers = Object.assign({ "Content-Type": "application/json", "X-CSRF-Token": csrf(), "Accept": "application/json" }, extra || {});
    const response = await fetch(path, {
      method: method,
      credentials: "same-origin",
      headers: headers,
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    let reply = {};
    try { reply = await response.json(); } catch (ignored) { reply = {}; }
    if (response.status === 401 && page !== "signin") { toSignIn(); }
    return { status: response.status, data: reply.data, note: (reply.meta && reply.meta.note) || "", retryAfter: response.headers.get("Retry-After") };
  }

  function toSignIn() {
    window.location.assign("/signin?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  }

  function flash(text, kind) {
    const box = document.getElementById("flash");
    if (!box) { return; }
    box.textContent = text;
    box.className = "flash" + (kind ? " " + kind : "");
    box.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(function () { box.hidden = true; }, kind === "refused" ? 8000 : 4000);
  }

  // A short low tone for a refusal. Browsers let a page make sound once the person has acted on
  // the site: on the kiosk and the dock the audio is set up as the page loads, so the gesture
  // that signed in (or opened the station from the home page) lets a refusal be heard even when
  // it comes from the box's own reader before anyone touches this page. Where the browser still
  // holds it back, the first touch or key here lets it go. A tone is only started while the
  // audio runs: one held back would sound late, at the next touch.
  let audio = null;
  function unlockSound() {
    if (!window.AudioContext) { return; }
    if (!audio) {
      try { audio = new AudioContext(); } catch (ignored) { audio = null; return; }
    }
    if (audio.state === "suspended") { audio.resume().catch(function () { /* still not allowed: the next gesture tries */ }); }
  }
  function refusalSound() {
    if (!audio || audio.state !== "running") { return; }
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 220;
    gain.gain.value = 0.2;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.35);
  }
  document.addEventListener("pointerdown", unlockSound);
  document.addEventListener("keydown", unlockSound);
  if (station && (page === "kiosk" || page === "dock")) { unlockSound(); }

  // ---------- sign-in and sign-out ----------

  const signin = document.getElementById("signin");
  if (signin) {
    const error = document.getElementById("signin-error");
    const button = document.getElementById("signin-button");
    let countdown = null;
    signin.addEventListener("submit", async function (event) {
      event.preventDefault();
      error.hidden = true;
      button.disabled = true;
      const form = new FormData(signin);
      let reply;
      try {
        reply = await send("POST", "/signin", { employee: form.get("employee"), pin: form.get("pin"), csrf: form.get("csrf") });
      } catch (failure) {
        reply = { status: 0, note: "the box did not answer; check the network and try again" };
      }
      if (reply.status === 200) {
        window.location.assign(form.get("next") || "/");
        return;
      }
      signin.elements.pin.value = "";
      const wait = parseInt(reply.retryAfter || "0", 10);
      if (reply.status === 429 && wait > 0) {
        // Locked after wrong PINs: the delay counts down and the button waits with it.
        let left = wait;
        const show = function () { error.textContent = capitalise(reply.note) + " — try again in " + left + " s."; };
        show();
        error.hidden = false;
        clearInterval(countdown);
        countdown = setInterval(function () {
          left -= 1;
          if (left <= 0) { clearInterval(countdown); button.disabled = false; error.textContent = "You can try again now."; return; }
          show();
        }, 1000);
        return;
      }
      error.textContent = reply.status === 401 ? "Wrong employee or PIN." : capitalise(reply.note || "sign-in failed");
      error.hidden = false;
      button.disabled = false;
      signin.elements.pin.focus();
    });
  }

  for (const button of document.querySelectorAll("[data-signout]")) {
    button.addEventListener("click", async function () {
      await send("DELETE", "/auth/staff");
      window.location.assign("/signin");
    });
  }

  function capitalise(text) { return text ? text.charAt(0).toUpperCase() + text.slice(1) : text; }

  // A message that outlives a reload: a form that changed the lot reloads the page to show the
  // lot as the store now holds it, and says what it did there.
  function flashAfterReload(text) {
    try { sessionStorage.setItem("lotbox-flash", text); } catch (ignored) { /* private mode: no message */ }
    window.location.reload();
  }
  try {
    const kept = sessionStorage.getItem("lotbox-flash");
    if (kept) { sessionStorage.removeItem("lotbox-flash"); flash(kept, "accepted"); }
  } catch (ignored) { /* no storage */ }

  for (const close of document.querySelectorAll("dialog [data-close]")) {
    close.addEventListener("click", function () { close.closest("dialog").close(); });
  }

  // ---------- a lot's page: print, split, adjust, move, void ----------
  //
  // Each form posts to the API's own route for it (the store operations the API uses), with
  // the page's CSRF token and the lot's hash as If-Match: a lot changed meanwhile by a scan or
  // another screen is refused in one line instead of being changed blind. The void goes to
  // /lots/ID/void, which takes a manager's name and PIN when the one signed in is not a manager.

  if (page === "lot") {
    const box = document.getElementById("lot");
    const id = box.dataset.lot;
    const guard = { "If-Match": '"' + box.dataset.hash + '"' };
    const problem = function (form, text) {
      const line = form.querySelector(".refusal");
      line.textContent = capitalise(text);
      line.hidden = false;
    };
    const handle = function (form, work) {
      form.addEventListener("submit", async function (event) {
        event.preventDefault();
        form.querySelector(".refusal").hidden = true;
        const button = form.querySelector("button[type=submit]");
        button.disabled = true;
        try {
          await work(new FormData(form));
        } catch (failure) {
          problem(form, "the box did not answer; check the network and try again");
        } finally {
          button.disabled = false;
        }
      });
    };
    const printForm = document.getElementById("print-form");
    if (printForm) {
      const preview = document.getElementById("label-preview");
      const printer = document.getElementById("print-printer");
      printer.addEventListener("change", function () {
        // The preview follows the printer chosen: its template, at its dots.
        const chosen = printer.options[printer.selectedIndex];
        preview.src = "/inventory/" + encodeURIComponent(id) + "/label.png?template=" + encodeURIComponent(chosen.dataset.template);
      });
      handle(printForm, async function (form) {
        const copies = String(form.get("copies") || "").trim();
        if (!/^\d+$/.test(copies) || parseInt(copies, 10) < 1 || parseInt(copies, 10) > 100) {
          problem(printForm, "copies '" + copies + "' is not a whole number from 1 to 100");
          return;
        }
        const reply = await send("POST", "/inventory/" + encodeURIComponent(id) + "/print", { printer: form.get("printer"), copies: copies });
        if (reply.status !== 202) { problem(printForm, reply.note || "the label was not queued"); return; }
        flash("Queued " + copies + " label(s) on " + reply.data.printer + " (job …" + reply.data.id.slice(-8) + ").", "accepted");
        window.lotboxPrinted = reply.data.id;
      });
    }
    const splitForm = document.getElementById("split-form");
    if (splitForm) {
      handle(splitForm, async function (form) {
        const payload = { source: id, qty: String(form.get("qty") || "").trim() };
        if (form.get("section")) { payload.section = form.get("section"); }
        const reply = await send("POST", "/inventory", payload);
        if (reply.status !== 201) { problem(splitForm, reply.note || "the lot was not split"); return; }
        flashAfterReload("Split " + payload.qty + " off into lot …" + reply.data.id.slice(-8) + ".");
      });
      handle(document.getElementById("adjust-form"), async function (form) {
        const amount = String(form.get("qty") || "").trim();
        const payload = { reason: form.get("reason") };
        payload[form.get("mode") === "delta" ? "delta" : "qty"] = amount;
        if (String(form.get("note") || "").trim()) { payload.note = String(form.get("note")).trim(); }
        const reply = await send("POST", "/inventory/" + encodeURIComponent(id) + "/adjust", payload, guard);
        if (reply.status !== 200) { problem(document.getElementById("adjust-form"), reply.note || "the lot was not adjusted"); return; }
        flashAfterReload("Adjusted the quantity.");
      });
      handle(document.getElementById("move-form"), async function (form) {
        const select = document.getElementById("move-section");
        const reply = await send("PATCH", "/inventory/" + encodeURIComponent(id), { section: form.get("section") }, guard);
        if (reply.status !== 200) { problem(document.getElementById("move-form"), reply.note || "the lot was not moved"); return; }
        flashAfterReload("Moved to " + select.options[select.selectedIndex].textContent.replace(" (here now)", "") + ".");
      });
    }
    const voidForm = document.getElementById("void-form");
    for (const button of document.querySelectorAll("[data-void]")) {
      button.addEventListener("click", function () {
        const confirming = button.dataset.void === "confirm";
        document.getElementById("void-text").textContent = confirming
          ? "Step 2 of 2: the void becomes final and the lot is locked. It cannot be taken back."
          : "Step 1 of 2: the lot is marked void; it can no longer be sold, moved or printed.";
        document.getElementById("void-yes").textContent = confirming ? "Confirm the void" : "Void it";
        document.getElementById("void-error").hidden = true;
        const dialog = document.getElementById("void-dialog");
        dialog.showModal();
        const name = document.getElementById("void-manager");
        if (name) { name.focus(); }
      });
    }
    submitVoid(voidForm, "/lots/" + encodeURIComponent(id) + "/void", "void", "the lot was not voided",
               "Void requested: confirm it to make it final.", "The lot is void.");
    return;
  }

  // ---------- a sale's page: a manager's void, in the API's two steps ----------
  //
  // The void goes to /sales/ID/void, which takes a manager's name and PIN when the one signed
  // in is not a manager (the same check as a sign-in: wrong PINs count toward the lockout).

  if (page === "sale") {
    const box = document.getElementById("sale-detail");
    const voidForm = document.getElementById("sale-void-form");
    const id = box.dataset.sale;
    for (const button of document.querySelectorAll("[data-sale-void]")) {
      button.addEventListener("click", function () {
        const confirming = button.dataset.saleVoid === "confirm";
        document.getElementById("sale-void-text").textContent = confirming
          ? "Step 2 of 2: the sale is voided and its stock goes back on its lots. It cannot be taken back."
          : "Step 1 of 2: the void is asked for; a second step voids the sale.";
        document.getElementById("sale-void-yes").textContent = confirming ? "Confirm the void" : "Ask to void it";
        document.getElementById("sale-void-error").hidden = true;
        document.getElementById("sale-void-dialog").showModal();
        const name = document.getElementById("sale-void-manager");
        if (name) { name.focus(); }
      });
    }
    if (voidForm) {
      submitVoid(voidForm, "/sales/" + encodeURIComponent(id) + "/void", "sale-void", "the sale was not voided",
                 "Void requested: confirm it to void the sale.", "The sale is void; its stock is back on its lots.");
    }
    return;
  }

  // ---------- the printers (a manager's): live from /events ----------

  if (page === "printers") {
    const listBox = document.getElementById("printers");
    let drawing = null, drawAgain = false;
    const redraw = async function () {
      if (drawing) { drawAgain = true; return drawing; }
      drawing = (async function () {
        do {
          drawAgain = false;
          const response = await fetch("/printers/list", { credentials: "same-origin", headers: { "Accept": "text/html" } });
          if (response.status === 401) { toSignIn(); return; }
          if (response.ok) {
            listBox.innerHTML = await response.text();
            window.lotboxShown = { at: performance.now(), count: (window.lotboxShown ? window.lotboxShown.count : 0) + 1 };
          }
        } while (drawAgain);
      })();
      try { await drawing; } finally { drawing = null; }
    };
    const watch = function () {
      // `event: printer` when a printer starts or stops holding its labels; `event: queue` when
      // the labels waiting change.
      const events = new EventSource("/events?queue=1");
      events.addEventListener("open", function () { redraw(); });
      events.addEventListener("printer", function () { redraw(); });
      events.addEventListener("queue", function () { redraw(); });
      events.addEventListener("error", async function () {
        if (events.readyState !== EventSource.CLOSED) { return; }
        const who = await fetch("/auth/staff", { credentials: "same-origin" });
        if (who.status === 401) { toSignIn(); return; }
        setTimeout(watch, 2000);
      });
    };
    watch();
    return;
  }

  // ---------- the print queue (a manager's): live jobs, release and cancel ----------

  if (page === "queue") {
    const jobsBox = document.getElementById("queue");
    let loading = null, reloadAgain = false;
    const reload = async function () {
      if (loading) { reloadAgain = true; return loading; }
      loading = (async function () {
        do {
          reloadAgain = false;
          const response = await fetch("/print-queue/jobs", { credentials: "same-origin", headers: { "Accept": "text/html" } });
          if (response.status === 401) { toSignIn(); return; }
          if (response.ok) {
            jobsBox.innerHTML = await response.text();
            window.lotboxShown = { at: performance.now(), count: (window.lotboxShown ? window.lotboxShown.count : 0) + 1 };
          }
        } while (reloadAgain);
      })();
      try { await loading; } finally { loading = null; }
    };
    const follow = function () {
      const events = new EventSource("/events?queue=1");
      events.addEventListener("open", function () { reload(); });
      events.addEventListener("queue", function () { reload(); });
      events.addEventListener("error", async function () {
        if (events.readyState !== EventSource.CLOSED) { return; }
        const who = await fetch("/auth/staff", { credentials: "same-origin" });
        if (who.status === 401) { toSignIn(); return; }
        setTimeout(follow, 2000);
      });
    };
    follow();
    const done = { release: "Released", cancel: "Canceled", hold: "Held" };
    const act = async function (id, action) {
      const reply = await send("POST", "/queue/" + encodeURIComponent(id) + "/" + action, {});
      if (reply.status === 200) { flash(done[action] + " job …" + id.slice(-8) + ".", "accepted"); }
      else if (reply.status === 202) { flash("Reprinting job …" + id.slice(-8) + " as job …" + reply.data.id.slice(-8) + ".", "accepted"); }
      else { flash(capitalise(reply.note || "the job did not change"), "refused"); }
      reload();
    };
    jobsBox.addEventListener("click", function (event) {
      const button = event.target.closest("[data-job-action]");
      if (!button) { return; }
      const id = button.dataset.jobId, action = button.dataset.jobAction;
      if (action !== "cancel") { act(id, action); return; }
      // Cancelling asks first: the label will not print.
      document.getElementById("confirm-text").textContent = "Cancel print job …" + id.slice(-8) + "? It will not print.";
      const dialog = document.getElementById("confirm-dialog");
      dialog.showModal();
      document.getElementById("confirm-form").onsubmit = function (submitted) {
        submitted.preventDefault();
        dialog.close();
        act(id, "cancel");
      };
    });
    return;
  }

  // ---------- the kiosk and the dock: live station, buttons, scanner ----------

  if (!station || (page !== "kiosk" && page !== "customer" && page !== "dock")) { return; }
  const dock = page === "dock";
  const saleBox = document.getElementById(dock ? "manifest" : "sale");
  const view = page === "customer" ? "customer" : "staff";
  const fragment = dock ? "/dock/" + encodeURIComponent(station) + "/manifest"
                        : "/kiosk/" + encodeURIComponent(station) + "/sale" + (view === "customer" ? "?view=customer" : "");

  // The sale (or manifest) fragment is rendered by the server from the same template as the
  // page, so the screen shows exactly what the store holds; a refresh asked while one runs is
  // run after it.
  let refreshing = null, again = false;
  async function refresh() {
    if (refreshing) { again = true; return refreshing; }
    refreshing = (async function () {
      do {
        again = false;
        const response = await fetch(fragment, { credentials: "same-origin", headers: { "Accept": "text/html" } });
        if (response.status === 401) { toSignIn(); return; }
        if (response.ok) {
          saleBox.innerHTML = await response.text();
          window.lotboxShown = { at: performance.now(), count: (window.lotboxShown ? window.lotboxShown.count : 0) + 1 };
        }
      } while (again);
    })();
    try { await refreshing; } finally { refreshing = null; }
  }

  // Live: the station's decisions and the sale's changes arrive as events; no polling.
  function listen() {
    // The dock also follows the print queue: the labels of the lots its ACCEPT made, as they print.
    const events = new EventSource(dock ? "/events?queue=1" : "/events");
    events.addEventListener("open", function () { refresh(); });
    events.addEventListener("station", function (message) {
      let decision = {};
      try { decision = JSON.parse(message.data); } catch (ignored) { return; }
      if (decision.station !== station) { return; }
      if (decision.outcome === "refused" && view === "staff") { refusalSound(); }
      refresh();
    });
    events.addEventListener("change", function (message) {
      let change = {};
      try { change = JSON.parse(message.data); } catch (ignored) { return; }
      const watched = dock ? ["b2b_incoming", "inventory", "print_job"] : ["b2c_sale", "print_job"];
      if (watched.indexOf(change.object_type) >= 0) { refresh(); }
    });
    if (dock) {
      events.addEventListener("queue", function () { refresh(); });
      events.addEventListener("printer", function () { refresh(); });
    }
    events.addEventListener("error", async function () {
      if (events.readyState !== EventSource.CLOSED) { return; } // the browser reconnects on its own
      const who = await fetch("/auth/staff", { credentials: "same-origin" });
      if (who.status === 401) { toSignIn(); return; }
      setTimeout(listen, 2000);
    });
  }
  listen();

  if (view !== "staff") { return; }

  async function scan(code) {
    let reply;
    try {
      reply = await send("POST", "/scan", { station: station, code: code });
    } catch (failure) {
      flash("The box did not answer: scan again.", "refused");
      return null;
    }
    if (reply.status !== 200) {
      flash(capitalise(reply.note || "the scan was refused"), "refused");
      refusalSound();
    }
    refresh();
    return reply;
  }
  window.lotboxScan = scan;

  function totalCents() {
    const total = saleBox.querySelector("[data-total]");
    return total ? parseInt(total.dataset.cents || "0", 10) : 0;
  }
  function dollars(cents) {
    const sign = cents < 0 ? "-" : "";
    const whole = Math.abs(cents);
    return sign + "$" + Math.floor(whole / 100).toLocaleString("en-US") + "." + String(whole % 100).padStart(2, "0");
  }
  function cents(text) {
    const match = /^\s*\$?\s*(\d{0,7})(?:\.(\d{0,2}))?\s*$/.exec(text || "");
    if (!match || (match[1] === "" && (match[2] || "") === "")) { return null; }
    return parseInt(match[1] || "0", 10) * 100 + parseInt(((match[2] || "") + "00").slice(0, 2), 10);
  }

  function open(id) {
    const dialog = document.getElementById(id);
    for (const error of dialog.querySelectorAll(".refusal")) { error.hidden = true; }
    dialog.showModal();
    return dialog;
  }
  function fail(id, text) {
    const error = document.getElementById(id);
    error.textContent = capitalise(text);
    error.hidden = false;
  }

  function confirmThen(text, action) {
    document.getElementById("confirm-text").textContent = text;
    const dialog = open("confirm-dialog");
    const form = document.getElementById("confirm-form");
    form.onsubmit = async function (event) {
      event.preventDefault();
      dialog.close();
      await action();
    };
  }

  const qtyForm = document.getElementById("qty-form");
  for (const key of qtyForm.querySelectorAll("[data-key]")) {
    key.addEventListener("click", function () { qtyForm.elements.qty.value += key.dataset.key; });
  }
  qtyForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    const amount = qtyForm.elements.qty.value.trim();
    document.getElementById("qty-dialog").close();
    qtyForm.elements.qty.value = "";
    if (amount) { await scan("LOTBOX:QTY:" + amount); }
  });

  const actions = {
    "qty": function () { open("qty-dialog"); qtyForm.elements.qty.focus(); },
  };
  if (dock) {
    // ACCEPT asks first, and says which packages are short (they are received as counted).
    actions.accept = function () {
      const table = saleBox.querySelector("table.manifest");
      if (!table) { flash("No manifest open: scan a transfer's manifest first.", "refused"); refusalSound(); return; }
      const short = table.dataset.short || "";
      confirmThen(short ? "Short: " + short + ". Accept what was counted?" : "Every package is counted. Accept the transfer?",
                  function () { return scan("LOTBOX:ACCEPT"); });
    };
    actions.close = function () {
      confirmThen("Close this manifest without accepting? Its counts are kept.", function () { return scan("LOTBOX:CANCEL"); });
    };
    actions.uncount = function () { return scan("LOTBOX:VOID-LAST"); };
    // Picking an incoming transfer is scanning its manifest: its id goes to /scan, through the
    // station's path (the scan log, the station's decision and its events), as a reader's would.
    saleBox.addEventListener("click", function (event) {
      const pick = event.target.closest("[data-pick]");
      if (!pick || pick.disabled) { return; }
      pick.disabled = true;
      scan(pick.dataset.pick);
    });
  } else {
    // PAY: the tender, cash given and the change due, confirmed; the sale is paid the way the
    // PAY barcode pays it (the station's path, its taxes and receipt), with the tender recorded
    // on the sale (POST /kiosk/NAME/pay). Cash left empty is exact; another tender is taken for
    // the exact total.
    const payForm = document.getElementById("pay-form");
    const cashGiven = document.getElementById("cash-given");
    const changeDue = document.getElementById("change-due");
    const tender = document.getElementById("tender");
    const tenderName = document.getElementById("tender-name");
    function updateChange() {
      const typed = cashGiven.value.trim();
      const given = typed === "" ? totalCents() : cents(typed);
      const due = totalCents();
      changeDue.value = given === null ? "—" : dollars(given - due);
      changeDue.textContent = changeDue.value;
      changeDue.classList.toggle("short", given !== null && given < due);
    }
    cashGiven.addEventListener("input", updateChange);
    tender.addEventListener("change", function () {
      document.querySelector("[data-cash-only]").hidden = tender.value !== "cash";
      document.querySelector("[data-other-only]").hidden = tender.value !== "other";
      if (tender.value === "other") { tenderName.focus(); }
    });
    payForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const due = totalCents();
      const payment = {};
      let change = null;
      if (tender.value === "cash") {
        const typed = cashGiven.value.trim();
        const given = typed === "" ? due : cents(typed);
        if (given === null) { fail("pay-error", "cash given '" + typed + "' is not an amount; type e.g. 50 or 42.50, or leave it empty for exact"); return; }
        if (given < due) { fail("pay-error", "cash given " + dollars(given) + " is less than the total " + dollars(due)); return; }
        payment.tender = "cash";
        if (typed !== "") { payment.cash_given = (given / 100).toFixed(2); }
        change = given - due;
      } else {
        const name = tender.value === "other" ? tenderName.value.trim() : tender.value;
        if (!name) { fail("pay-error", "type the tender's name (e.g. gift card)"); return; }
        if (name.length > 40) { fail("pay-error", "the tender's name is " + name.length + " characters; at most 40"); return; }
        payment.tender = name;
      }
      const confirm = document.getElementById("pay-confirm");
      confirm.disabled = true;
      let reply;
      try {
        reply = await send("POST", "/kiosk/" + encodeURIComponent(station) + "/pay", payment);
      } catch (failure) {
        reply = { status: 0, note: "the box did not answer: try PAY again" };
      }
      confirm.disabled = false;
      refresh();
      const data = reply && reply.data;
      if (reply.status !== 200 || !data || data.outcome !== "accepted") {
        if (data && data.outcome === "refused") { refusalSound(); }
        fail("pay-error", (data && data.message) || reply.note || "the sale was not paid");
        return;
      }
      document.getElementById("pay-dialog").close();
      flash(change === null ? "Paid by " + payment.tender + "." : "Paid. Change due " + dollars(change) + ".", "accepted");
    });

    const managerForm = document.getElementById("manager-form");
    managerForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const form = new FormData(managerForm);
      const reply = await send("POST", "/kiosk/" + encodeURIComponent(station) + "/void-last", { manager: form.get("manager"), pin: form.get("pin") });
      managerForm.elements.pin.value = "";
      if (reply.status !== 200) {
        fail("manager-error", reply.status === 401 ? "wrong manager or PIN" : reply.note);
        return;
      }
      document.getElementById("manager-dialog").close();
      voided(reply);
    });
    function voided(reply) {
      const data = reply.data || {};
      flash(capitalise(data.message || "done"), data.outcome === "refused" ? "refused" : "accepted");
      refresh();
    }
    Object.assign(actions, {
      "pay": function () {
        cashGiven.value = "";
        tenderName.value = "";
        document.querySelector("[data-pay-total]").textContent = dollars(totalCents());
        updateChange();
        open("pay-dialog");
        cashGiven.focus();
      },
      "cancel": function () {
        confirmThen("Cancel this sale? Its lines are dropped; nothing is sold.", function () { return scan("LOTBOX:CANCEL"); });
      },
      "void-last": function () {
        if (body.dataset.manager) {
          confirmThen("Take the last line off the sale?", async function () {
            const reply = await send("POST", "/kiosk/" + encodeURIComponent(station) + "/void-last", {});
            if (reply.status !== 200) { flash(capitalise(reply.note), "refused"); return; }
            voided(reply);
          });
          return;
        }
        open("manager-dialog");
        document.getElementById("manager-name").focus();
      },
      "sale-type": function () {
        // The sale becomes the other type, as the MEDICAL and ADULT-USE barcodes do (refused when over its limit).
        const type = saleBox.querySelector("[data-sale-type]");
        return scan(type && type.textContent.trim() === "Medical" ? "LOTBOX:ADULT-USE" : "LOTBOX:MEDICAL");
      },
      "receipt": async function () {
        const reply = await send("POST", "/kiosk/" + encodeURIComponent(station) + "/receipt", {});
        if (reply.status === 201) { flash("Receipt sent to " + reply.data.printer + ".", "accepted"); }
        else { flash(capitalise(reply.note), "refused"); }
      },
    });
  }
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", function () { actions[button.dataset.action](); });
  }

  const manual = document.getElementById("manual");
  manual.addEventListener("submit", function (event) {
    event.preventDefault();
    const code = manual.elements.code.value.trim();
    manual.elements.code.value = "";
    if (code) { scan(code); }
  });

  // ---------- the keyboard-wedge scanner ----------
  //
  // A scanner plugged into this tablet types its codes as keystrokes, far faster than a person.
  // Keys that come closer together than `fast` ms, four or more in a row, are a scan: framed as
  // the box's own reader frames them. Ctrl+] is GS (kept, for GS1 codes). Enter ends a scan,
  // except in a driver's licence (it opens with "@" and a line break, or an AAMVA header),
  // whose line breaks are its own: it is held until the keys stop for `hold` ms, so none of its
  // lines is ever sent alone. A scan's characters never stay in the box that had the focus;
  // a person typing (slower than `fast`) is left alone.
  const timing = Object.assign({ fast: 40, quiet: 150, hold: 400, minimum: 4 }, window.LOTBOX_SCAN_TIMING || {});
  let buffer = "", last = 0, run = 0, scanning = false, licence = false, timer = null, target = null, before = "";

  function opensLicence(text) {
    const data = text.replace(/^\][A-Za-z0-9][0-9]/, "");
    return data.charAt(0) === "@" || /(ANSI |AAMVA)\d{6}/.test(text) || /^(DL|ID)?DA[A-Z]/.test(data);
  }
  function reset() {
    buffer = ""; run = 0; scanning = false; licence = false; target = null; before = "";
    clearTimeout(timer);
  }
  function restoreTarget() {
    if (target && "value" in target) { target.value = before; }
  }
  function finish() {
    const code = buffer.replace(/[\r\n]+$/, "");
    const wasScan = scanning;
    restoreTarget();
    reset();
    if (wasScan && code) { scan(code); }
  }
  function character(event) {
    if (event.ctrlKey && (event.key === "]" || event.code === "BracketRight")) { return "\x1d"; }
    if (event.ctrlKey || event.altKey || event.metaKey) { return null; }
    if (event.key === "Enter") { return "\n"; }
    if (event.key === "Tab") { return "\t"; }
    return event.key.length === 1 ? event.key : null;
  }

  document.addEventListener("keydown", function (event) {
    if (document.querySelector("dialog[open]") && !scanning) { return; } // a person is typing a PIN or the cash given
    const key = character(event);
    if (key === null) { return; }
    const now = performance.now();
    const gap = now - last;
    last = now;
    if (buffer && gap > (licence ? timing.hold : timing.fast)) {
      // The keys stopped long enough: what was in hand ends here (a scan, or a person's typing).
      if (scanning) { finish(); } else { reset(); }
    }
    if (!buffer) {
      if (key === "\n" || key === "\t") { return; } // a person's Enter or Tab
      const focused = document.activeElement;
      target = focused && (focused.tagName === "INPUT" || focused.tagName === "TEXTAREA") ? focused : null;
      before = target ? target.value : "";
    } else {
      run += 1;
    }
    if (!scanning && run + 1 >= timing.minimum) {
      scanning = true;
      restoreTarget(); // the first keys of the scan went into the box: take them out again
    }
    if ((key === "\n" || key === "\t") && !licence) {
      if (opensLicence(buffer) && (scanning || gap <= timing.fast)) {
        // A licence's first line break: hold everything until the scanner goes quiet.
        licence = true;
        if (!scanning) { restoreTarget(); }
      } else if (scanning) {
        event.preventDefault();
        buffer += key;
        finish();
        return;
      } else {
        reset(); // a person pressed Enter after a few keys: theirs
        return;
      }
    }
    buffer += key;
    if (scanning || licence || key === "\x1d") { event.preventDefault(); }
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (scanning) { finish(); } else { reset(); }
    }, licence ? timing.hold : timing.quiet);
  }, true);

  /* A two-step void (a lot's, a sale's) sent from its dialog: the manager's name and PIN when the
     form has them, the PIN cleared whatever happens, a refusal shown in the dialog, and the page
     reloaded with what happened. `prefix` names the dialog's elements (PREFIX-yes, -error, -dialog). */
  function submitVoid(voidForm, url, prefix, refused, requested, done) {
    voidForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const form = new FormData(voidForm);
      const payload = {};
      if (form.has("manager")) { payload.manager = form.get("manager"); payload.pin = form.get("pin"); }
      const yes = document.getElementById(prefix + "-yes");
      yes.disabled = true;
      let reply;
      try {
        reply = await send("POST", url, payload);
      } catch (failure) {
        reply = { status: 0, note: "the box did not answer; try again" };
      }
      yes.disabled = false;
      if (voidForm.elements.pin) { voidForm.elements.pin.value = ""; }
      if (reply.status !== 200 && reply.status !== 202) {
        const error = document.getElementById(prefix + "-error");
        error.textContent = capitalise(reply.note || refused);
        error.hidden = false;
        return;
      }
      document.getElementById(prefix + "-dialog").close();
      flashAfterReload(reply.status === 202 ? requested : done);
    });
  }
})();

// ---------- the scanners and the scan log (office5): live from /events?scanners=1 ----------
//
// Each page's list is a fragment the server renders from the page's own template; it is drawn
// again when a scanner's reader changes state or a scan is logged (`event: scanner`), or a
// station decides on one (`event: station`), never on a timer. A redraw asked while one runs
// is run after it.
(function () {
  const page = document.body.dataset.page || "";
  const live = { scanners: ["scanners", "/scanners/list"], scans: ["scan-log", "/scans/list"] }[page];
  if (!live) { return; }
  const box = document.getElementById(live[0]);
  const toSignIn = function () {
    window.location.assign("/signin?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  };
  let drawing = null, drawAgain = false;
  const redraw = async function () {
    if (drawing) { drawAgain = true; return drawing; }
    drawing = (async function () {
      do {
        drawAgain = false;
        const response = await fetch(live[1], { credentials: "same-origin", headers: { "Accept": "text/html" } });
        if (response.status === 401) { toSignIn(); return; }
        if (response.ok) {
          // Swapped only when it changed: a list being read (or tapped) is not replaced by itself.
          const fresh = document.createElement("template");
          fresh.innerHTML = await response.text();
          if (fresh.innerHTML !== box.innerHTML) {
            box.replaceChildren(fresh.content);
            window.lotboxShown = { at: performance.now(), count: (window.lotboxShown ? window.lotboxShown.count : 0) + 1 };
          }
        }
      } while (drawAgain);
    })();
    try { await drawing; } finally { drawing = null; }
  };
  const watch = function () {
    const events = new EventSource("/events?scanners=1");
    events.addEventListener("open", function () { redraw(); });
    events.addEventListener("scanner", function () { redraw(); });
    events.addEventListener("station", function () { redraw(); });
    events.addEventListener("error", async function () {
      if (events.readyState !== EventSource.CLOSED) { return; } // the browser reconnects on its own
      const who = await fetch("/auth/staff", { credentials: "same-origin" });
      if (who.status === 401) { toSignIn(); return; }
      setTimeout(watch, 2000);
    });
  };
  watch();
})();

