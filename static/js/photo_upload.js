// Photos upload as soon as they are picked (evidence.pending): each is shrunk in the browser to at
// most 2560 px on a canvas (its EXIF time and position are carried over, its orientation applied),
// sent with a progress bar, and replaced in the form by the signed token the server answers. The
// token, not the file, is posted with the form, so a validation error does not cost a second upload.
(function () {
  "use strict";
  var MAX_EDGE = 2560;
  var SHRINKABLE = /^image\/(jpeg|png|webp)$/;

  // The messages come translated from the page (evidence/widgets/photo_input.html), as data-msg-*.
  var container0 = null;
  function text(key, container) {
    var source = container || container0 || document.querySelector("[data-photo-input]");
    return (source && source.dataset["msg" + key.charAt(0).toUpperCase() + key.slice(1)]) || "";
  }

  // The APP1 "Exif" segment of a JPEG (bytes), or null.
  function exifSegment(bytes) {
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
    var offset = 2;
    while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
      var marker = bytes[offset + 1];
      var length = (bytes[offset + 2] << 8) | bytes[offset + 3];
      if (marker === 0xda) return null; // image data starts: no EXIF before it
      if (marker === 0xe1 && bytes[offset + 4] === 0x45 && bytes[offset + 5] === 0x78 &&
          bytes[offset + 6] === 0x69 && bytes[offset + 7] === 0x66) {
        if (offset + 2 + length > bytes.length) return null;
        return bytes.slice(offset, offset + 2 + length);
      }
      offset += 2 + length;
    }
    return null;
  }

  // The canvas drew the pixels upright, so the copied EXIF must say "upright" too (orientation 1).
  function clearOrientation(segment) {
    var tiff = 10; // FF E1 len(2) "Exif\0\0"
    var view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
    if (segment.length < tiff + 8) return segment;
    var little = view.getUint16(tiff) === 0x4949;
    var ifd = tiff + view.getUint32(tiff + 4, little);
    if (ifd + 2 > segment.length) return segment;
    var count = view.getUint16(ifd, little);
    for (var i = 0; i < count; i++) {
      var entry = ifd + 2 + i * 12;
      if (entry + 12 > segment.length) break;
      if (view.getUint16(entry, little) === 0x0112) view.setUint16(entry + 8, 1, little);
    }
    return segment;
  }

  function withExif(jpegBlob, original) {
    if (original.type !== "image/jpeg") return Promise.resolve(jpegBlob);
    return original.slice(0, 256 * 1024).arrayBuffer().then(function (head) {
      var segment = exifSegment(new Uint8Array(head));
      if (!segment) return jpegBlob;
      segment = clearOrientation(segment);
      return jpegBlob.arrayBuffer().then(function (body) {
        var bytes = new Uint8Array(body);
        return new Blob([bytes.slice(0, 2), segment, bytes.slice(2)], { type: "image/jpeg" });
      });
    }).catch(function () { return jpegBlob; });
  }

  // The photo, shrunk to MAX_EDGE if larger; anything the browser cannot draw (HEIC…) goes as it is.
  function shrink(file) {
    if (!SHRINKABLE.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var edge = Math.max(bitmap.width, bitmap.height);
      if (edge <= MAX_EDGE) {
        bitmap.close();
        return file;
      }
      var scale = MAX_EDGE / edge;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.9);
      }).then(function (blob) {
        return blob === file ? file : withExif(blob, file);
      });
    }).catch(function () { return file; });
  }

  function csrfToken(form) {
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function removeButton() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline small";
    button.dataset.photoRemove = "";
    button.textContent = text("remove");
    return button;
  }

  function done(item) {
    delete item.dataset.photoUploading;
    item.dispatchEvent(new CustomEvent("photo-settled", { bubbles: true }));
  }

  function fail(item, message) {
    var progress = item.querySelector("progress");
    if (progress) progress.remove();
    var error = document.createElement("small");
    error.className = "field-error";
    error.setAttribute("role", "alert");
    error.textContent = message;
    item.appendChild(error);
    item.appendChild(removeButton());
    done(item);
  }

  function upload(container, file) {
    container0 = container;
    var list = container.querySelector("[data-photo-list]");
    var item = document.createElement("li");
    item.className = "photo-input__item";
    item.dataset.photoItem = "";
    item.dataset.photoUploading = "1";
    var label = document.createElement("span");
    label.textContent = file.name;
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", text("uploading") + " " + file.name);
    item.appendChild(label);
    item.appendChild(progress);
    list.appendChild(item);

    shrink(file).then(function (blob) {
      var data = new FormData();
      data.append("photo", blob, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", container.dataset.uploadUrl);
      request.setRequestHeader("X-CSRFToken", csrfToken(container.closest("form")));
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
      });
      request.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (e) { answer = null; }
        if (request.status !== 201 || !answer || !answer.token) {
          fail(item, answer && answer.errors ? answer.errors.join(" ") : text("failed"));
          return;
        }
        item.textContent = "";
        var image = document.createElement("img");
        image.className = "photo-input__thumb";
        image.alt = answer.name || text("uploaded");
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = container.dataset.pendingName;
        hidden.value = answer.token;
        item.appendChild(image);
        item.appendChild(hidden);
        item.appendChild(removeButton());
        // Settled once the thumbnail has loaded: a form waiting for this photo must not be sent
        // (and the pending photo taken into the record) while the browser still fetches it.
        var settle = function () { done(item); };
        image.addEventListener("load", settle, { once: true });
        image.addEventListener("error", settle, { once: true });
        image.src = answer.thumbnail;
      });
      request.addEventListener("error", function () { fail(item, text("network")); });
      request.send(data);
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    var container = input.closest("[data-photo-input]");
    if (!container) return;
    var files = Array.prototype.slice.call(input.files || []);
    // The files now travel on their own; the input itself must not send them again with the form.
    input.value = "";
    files.forEach(function (file) { upload(container, file); });
  });

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-photo-remove]") : null;
    if (!button) return;
    var item = button.closest("[data-photo-item]");
    if (item) item.remove();
  });

  // A form sent while photos are still uploading waits for them, then sends itself (unless one
  // failed: the user sees why next to the photo). Capture phase: before forms.js marks it as sent.
  var waiting = new WeakMap();
  function settled(form) {
    var submitter = waiting.get(form);
    if (submitter === undefined || form.querySelector("[data-photo-uploading]")) return;
    waiting.delete(form);
    var note = form.querySelector("[data-photo-wait]");
    if (note) note.remove();
    if (form.querySelector("[data-photo-item] .field-error")) return;
    if (submitter && form.requestSubmit) form.requestSubmit(submitter);
    else if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }
  document.addEventListener("photo-settled", function (event) {
    var form = event.target instanceof Element ? event.target.closest("form") : null;
    if (form) settled(form);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (!form.querySelector("[data-photo-uploading]")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    waiting.set(form, event.submitter || null);
    var container = form.querySelector("[data-photo-input]");
    if (container && !container.querySelector("[data-photo-wait]")) {
      var note = document.createElement("small");
      note.className = "photo-input__wait";
      note.setAttribute("role", "status");
      note.dataset.photoWait = "";
      note.textContent = text("wait", container);
      container.appendChild(note);
    }
  }, true);
})();
